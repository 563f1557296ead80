#include "support/loopback_http_server.hpp"

#include <httplib.h>

#include <stdexcept>

#include "http/header_name.hpp"
#include "support/httplib_record.hpp"
#include "support/httplib_serve.hpp"

namespace kfpevents::testing {

std::string RecordedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (http::SameHeaderName(key, name)) return value;
  }
  return "";
}

std::string RecordedRequest::Param(const std::string& name) const {
  const auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

RecordedRequest Record(const httplib::Request& request) {
  RecordedRequest recorded{request.method, request.path, {}, request.body, request.remote_port, {}};
  for (const auto& [name, value] : request.headers) recorded.headers.emplace(name, value);
  for (const auto& [name, value] : request.params) recorded.params.emplace(name, value);
  return recorded;
}

LoopbackHttpServer::LoopbackHttpServer()
    : LoopbackHttpServer([](std::size_t, const RecordedRequest&) { return ScriptedResponse{}; }) {}

LoopbackHttpServer::LoopbackHttpServer(Responder respond)
    : respond_(std::move(respond)), server_(std::make_unique<httplib::Server>()) {
  const auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    RecordedRequest recorded = Record(request);
    std::size_t index = 0;
    {
      std::lock_guard lock(mutex_);
      index = requests_.size();
      requests_.push_back(recorded);
    }
    arrived_.notify_all();
    const ScriptedResponse scripted = respond_(index, recorded);
    response.status = scripted.status;
    for (const auto& [name, value] : scripted.headers) response.set_header(name, value);
    if (!scripted.body.empty()) response.set_content(scripted.body, "text/plain");
  };
  server_->Post(R"(/.*)", handler);
  server_->Put(R"(/.*)", handler);
  server_->Get(R"(/.*)", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = ServeInBackground(*server_);
  // No wait needed: the socket already listens, so early connections queue in its backlog.
}

LoopbackHttpServer::~LoopbackHttpServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string LoopbackHttpServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<RecordedRequest> LoopbackHttpServer::Requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool LoopbackHttpServer::WaitForRequests(std::size_t count,
                                         std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

}  // namespace kfpevents::testing
