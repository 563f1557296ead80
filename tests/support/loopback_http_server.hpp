// A scripted HTTP server on 127.0.0.1 that records every request: the webhook sink of tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace kfpevents::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> headers;  // names as sent
  std::string body;
  int remote_port = 0;  // the client's port: equal across requests on one kept-alive connection
  std::multimap<std::string, std::string> params;  // the query, decoded

  std::string Header(const std::string& name) const;  // case-insensitive; "" when absent
  std::string Param(const std::string& name) const;   // "" when absent
};

struct ScriptedResponse {
  int status = 204;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class LoopbackHttpServer {
 public:
  // Answers every request with `respond(request_index_from_0, request)`; by default 204.
  using Responder = std::function<ScriptedResponse(std::size_t, const RecordedRequest&)>;

  LoopbackHttpServer();
  explicit LoopbackHttpServer(Responder respond);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const;

  std::vector<RecordedRequest> Requests() const;
  // Waits until at least `count` requests arrived or `timeout` passed; true if they did.
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  Responder respond_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace kfpevents::testing
