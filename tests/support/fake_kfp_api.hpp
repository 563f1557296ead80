// A fake Kubeflow Pipelines API on 127.0.0.1: pipelines uploaded as multipart forms, versions,
// experiments, runs whose status moves on with each GET, name filters, bearer tokens, scripted
// failures. It is a KFP 1.x server (/apis/v1beta1 only) until SpeakKfp2() adds /apis/v2beta1 over
// the same state, as KFP 2.x servers speak both. Records every request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_http_server.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace kfpevents::testing {

class FakeKfpApi {
 public:
  FakeKfpApi();
  ~FakeKfpApi();
  FakeKfpApi(const FakeKfpApi&) = delete;
  FakeKfpApi& operator=(const FakeKfpApi&) = delete;

  std::string Url() const;
  // Requests must carry "Authorization: Bearer <token>" (401 otherwise).
  void RequireToken(const std::string& token);
  // The next `count` requests are answered `status` with an RPC status body.
  void FailNext(int status, int count = 1);
  // What each GET of a run answers as its status, in turn; the last one repeats.
  void SetRunProgress(std::vector<std::string> statuses);
  // A pipeline that exists already (its default version has the same id); returns its id.
  std::string AddPipeline(const std::string& name);
  // The input parameters every pipeline version declares (v2beta1), name -> parameterType
  // (STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT). Versions then carry a
  // pipeline_spec, and a v2 run is refused, as KFP 2.x refuses it, when a parameter is not
  // declared or its JSON value is not of its type.
  void DeclareParameters(std::vector<std::pair<std::string, std::string>> declared);
  // The next `count` creating requests (POST) are acted on, and then answered 503, as when an
  // answer is lost after the server acted: a client that simply retried would create twice.
  void LoseNextAnswers(int count = 1);
  // The next `count` creating requests (POST) are answered 503 without being acted on: the
  // client cannot tell this from a lost answer.
  void DropNextCreates(int count = 1);
  // Runs created so far, each "<name>@<experiment id>".
  std::vector<std::string> Runs() const;
  // Experiments created or added so far, each "<name>@<namespace>" ("" when shared).
  std::vector<std::string> Experiments() const;
  // A KFP 2.x server: /apis/v2beta1 answers too (404 before, as KFP 1.x's gateway answers).
  void SpeakKfp2();
  // KFP 2.0 to 2.5 (implies SpeakKfp2): v2beta1 objects carry a display_name only (name arrived
  // in 2.14), so a filter on name matches nothing.
  void SpeakKfp20();

  std::vector<RecordedRequest> Requests() const;
  // The uploaded file's bytes of each upload request, in order.
  std::vector<std::string> UploadedFiles() const;

 private:
  struct State;
  using Admit = std::function<bool(const httplib::Request&, httplib::Response&)>;
  void AddV2Routes(const Admit& admit);
  std::unique_ptr<State> state_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace kfpevents::testing
