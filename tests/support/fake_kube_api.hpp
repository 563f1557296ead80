// A fake Kubernetes API server on 127.0.0.1 that speaks what kfp-eventd uses, faithfully:
// paginated Event lists, chunked watch streams played from scripts (bookmarks, 410 ERRORs,
// garbage, disconnects, stalls), Argo Workflow GETs, bearer tokens, TLS with client
// certificates. Records every request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback_http_server.hpp"

namespace httplib {
class Server;
struct Response;
}  // namespace httplib

namespace kfpevents::testing {

// One step of a scripted watch response.
struct WatchStep {
  enum class Kind { kSend, kAction, kEnd, kDisconnect, kStall };
  Kind kind = Kind::kSend;
  std::string bytes;             // kSend
  std::size_t chunk = 0;         // kSend: write in pieces of this many bytes; 0 = at once
  std::function<void()> action;  // kAction: runs on the server before the next step

  // {"type": TYPE, "object": OBJECT} and a newline, optionally split into small chunks.
  static WatchStep Event(const std::string& type, const std::string& object_json,
                         std::size_t chunk = 0);
  static WatchStep Bookmark(const std::string& resource_version);
  static WatchStep Expired();  // ERROR with a 410 Status, as the API server sends it
  static WatchStep Raw(std::string bytes, std::size_t chunk = 0);
  static WatchStep Do(std::function<void()> action);
  static WatchStep End();         // the server ends the response (its timeoutSeconds passed)
  static WatchStep Disconnect();  // the connection breaks mid-stream
  static WatchStep Stall();       // sends nothing more and never ends
};

struct WatchScript {
  int status = 200;              // otherwise: answer with this status and a Status body, no stream
  std::vector<WatchStep> steps;  // run out without End/Disconnect: idle until timeoutSeconds
};

struct FakeKubeApiOptions {
  std::string cert_file;  // non-empty: serve HTTPS with this certificate and key
  std::string key_file;
  std::string client_ca_file;  // non-empty: require client certificates signed by this CA
};

class FakeKubeApi {
 public:
  explicit FakeKubeApi(FakeKubeApiOptions options = {});
  ~FakeKubeApi();
  FakeKubeApi(const FakeKubeApi&) = delete;
  FakeKubeApi& operator=(const FakeKubeApi&) = delete;

  std::string Url() const;

  // Requests must carry "Authorization: Bearer <token>" (401 otherwise); "" accepts any.
  void RequireToken(const std::string& token);
  // What lists return (every namespace's Events together; filtered by namespace and by the
  // involvedObject.kind / source field selectors) and the list's resourceVersion.
  void SetEvents(std::vector<std::string> event_objects, const std::string& resource_version);
  // Lists and watches from this resourceVersion get 410 Expired.
  void ExpireResourceVersion(const std::string& resource_version);
  // The next list answers `status` with a Status body instead of the events.
  void FailNextList(int status);
  void AddWatch(WatchScript script);
  // GET .../workflows/{name} returns `json`; unknown workflows are 404. Lists of .../workflows
  // return every workflow set (in the namespace), at resourceVersion "1".
  void SetWorkflow(const std::string& namespace_name, const std::string& name, std::string json);
  // Watches of .../workflows play these scripts in turn, then idle.
  void AddWorkflowWatch(WatchScript script);

  // coordination.k8s.io/v1 Leases: GET, POST (create; 409 if it exists) and PUT (409 unless
  // metadata.resourceVersion matches), each write giving a new resourceVersion.
  // The Lease's JSON as stored, "" when there is none.
  std::string Lease(const std::string& namespace_name, const std::string& name) const;
  // Stores `json` as the Lease (a new resourceVersion is set), as another replica would.
  void SetLease(const std::string& namespace_name, const std::string& name,
                const std::string& json);
  // While set, every Lease request answers 503 (the API server unreachable for leases); with a
  // token, only requests bearing it (one replica cut off from the API server).
  void SetLeasesUnavailable(bool unavailable, const std::string& only_token = "");

  std::vector<RecordedRequest> Requests() const;
  // The recorded requests that are watches (watch=true) or lists of Events.
  std::vector<RecordedRequest> Watches() const;
  std::vector<RecordedRequest> Lists() const;
  // Waits until at least `count` watch requests arrived; false after `timeout`.
  bool WaitForWatches(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Store;
  bool Authorized(const RecordedRequest& request) const;
  void StreamScript(WatchScript script, const RecordedRequest& recorded,
                    httplib::Response& response);
  void Record(const RecordedRequest& request);
  void ServeLeases();

  std::unique_ptr<Store> store_;
  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  int port_ = 0;
  std::thread thread_;
};

// A Status object as the API server writes it.
std::string StatusJson(int code, const std::string& reason, const std::string& message);

}  // namespace kfpevents::testing
