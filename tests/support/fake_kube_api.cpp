#include "support/fake_kube_api.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "support/example_runs.hpp"
#include "support/fake_kube_api_store.hpp"
#include "support/httplib_record.hpp"
#include "support/httplib_serve.hpp"

namespace kfpevents::testing {

namespace {

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// Events of `ns` ("" all) that pass the field selector's involvedObject.kind and source terms.
bool Selected(const std::string& event, const std::string& ns, const std::string& selector) {
  if (!ns.empty() && TextFieldOf(event, "namespace") != ns) return false;
  std::size_t start = 0;
  while (start < selector.size()) {
    const std::size_t comma = selector.find(',', start);
    const std::string term = selector.substr(start, comma - start);
    start = comma == std::string::npos ? selector.size() : comma + 1;
    const std::size_t equals = term.find('=');
    const std::string field = term.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : term.substr(equals + 1);
    if (field == "involvedObject.kind") {
      const std::size_t involved = event.find("\"involvedObject\":");
      if (involved == std::string::npos || TextFieldOf(event.substr(involved), "kind") != value) {
        return false;
      }
    } else if (field == "source") {
      if (TextFieldOf(event, "component") != value) return false;
    }
  }
  return true;
}

// One page of a list as the API server sends it: `limit` items from the `continue` token on,
// with a continue token while more remain.
std::string ListPage(const std::string& kind, const std::string& version,
                     const std::vector<const std::string*>& items, const RecordedRequest& request) {
  const std::string token = request.Param("continue");
  const std::size_t offset = token.empty() ? 0 : std::stoul(token.substr(1));
  const std::size_t limit =
      request.Param("limit").empty() ? items.size() : std::stoul(request.Param("limit"));
  const std::size_t end = std::min(items.size(), offset + std::max<std::size_t>(limit, 1));
  std::string body = "{" + kind + R"(,"metadata":{"resourceVersion":)" + Quoted(version);
  if (end < items.size()) body += R"(,"continue":)" + Quoted("c" + std::to_string(end));
  body += R"(},"items":[)";
  for (std::size_t i = offset; i < end; ++i) (body += (i > offset ? "," : "")) += *items[i];
  return body + "]}";
}

bool IsEvents(const RecordedRequest& request) {
  return request.path.size() >= 7 &&
         request.path.compare(request.path.size() - 7, 7, "/events") == 0;
}

bool IsWatch(const RecordedRequest& request) {
  return IsEvents(request) && request.Param("watch") == "true";
}

bool WriteAll(httplib::DataSink& sink, const std::string& bytes, std::size_t chunk) {
  if (chunk == 0) chunk = bytes.size();
  for (std::size_t offset = 0; offset < bytes.size(); offset += chunk) {
    const std::size_t size = std::min(chunk, bytes.size() - offset);
    if (!sink.write(bytes.data() + offset, size)) return false;
  }
  return true;
}

}  // namespace

std::string StatusJson(int code, const std::string& reason, const std::string& message) {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":)" +
         Quoted(message) + R"(,"reason":)" + Quoted(reason) + R"(,"code":)" + std::to_string(code) +
         "}";
}

WatchStep WatchStep::Event(const std::string& type, const std::string& object_json,
                           std::size_t chunk) {
  return Raw(R"({"type":")" + type + R"(","object":)" + object_json + "}\n", chunk);
}

WatchStep WatchStep::Bookmark(const std::string& resource_version) {
  return Event("BOOKMARK", R"({"kind":"Event","apiVersion":"v1","metadata":{"resourceVersion":")" +
                               resource_version + R"("}})");
}

WatchStep WatchStep::Expired() {
  return Event("ERROR", StatusJson(410, "Expired", "too old resource version: 1 (2)"));
}

WatchStep WatchStep::Raw(std::string bytes, std::size_t chunk) {
  WatchStep step;
  step.kind = Kind::kSend;
  step.bytes = std::move(bytes);
  step.chunk = chunk;
  return step;
}

WatchStep WatchStep::Do(std::function<void()> action) {
  WatchStep step;
  step.kind = Kind::kAction;
  step.action = std::move(action);
  return step;
}

WatchStep WatchStep::End() { return {Kind::kEnd, {}, 0, {}}; }
WatchStep WatchStep::Disconnect() { return {Kind::kDisconnect, {}, 0, {}}; }
WatchStep WatchStep::Stall() { return {Kind::kStall, {}, 0, {}}; }

FakeKubeApi::FakeKubeApi(FakeKubeApiOptions options) : store_(std::make_unique<Store>()) {
  if (options.cert_file.empty()) {
    server_ = std::make_unique<httplib::Server>();
  } else {
    tls_ = true;
    server_ = std::make_unique<httplib::SSLServer>(
        options.cert_file.c_str(), options.key_file.c_str(),
        options.client_ca_file.empty() ? nullptr : options.client_ca_file.c_str());
    if (!server_->is_valid()) throw std::runtime_error("cannot load the test certificate");
  }
  // Watches hold a thread each for as long as they stream.
  server_->new_task_queue = [] { return new httplib::ThreadPool(32); };
  // As the real API server (Go sets TCP_NODELAY on every connection): a watch event is sent when
  // it happens, not held back by Nagle's algorithm until the previous one is acknowledged.
  server_->set_tcp_nodelay(true);

  const auto deny = [](httplib::Response& response) {
    response.status = 401;
    response.set_content(StatusJson(401, "Unauthorized", "Unauthorized"), "application/json");
  };

  server_->Get(
      R"(/api/v1(/namespaces/([^/]+))?/events)",
      [this, deny](const httplib::Request& request, httplib::Response& response) {
        const RecordedRequest recorded = testing::Record(request);
        Record(recorded);
        if (!Authorized(recorded)) return deny(response);
        const std::string ns = request.matches.size() > 2 ? request.matches[2].str() : "";
        const std::string from = recorded.Param("resourceVersion");

        if (recorded.Param("watch") == "true") {
          std::unique_lock lock(store_->mutex);
          WatchScript script;
          if (store_->expired.count(from) != 0) {
            script.steps = {WatchStep::Expired(), WatchStep::End()};
          } else if (!store_->watches.empty()) {
            script = std::move(store_->watches.front());
            store_->watches.pop_front();
          }
          lock.unlock();
          StreamScript(std::move(script), recorded, response);
          return;
        }

        std::unique_lock lock(store_->mutex);
        if (!store_->list_failures.empty()) {
          const int status = store_->list_failures.front();
          store_->list_failures.pop_front();
          response.status = status;
          response.set_content(
              StatusJson(status, status == 410 ? "Expired" : "InternalError", "scripted failure"),
              "application/json");
          return;
        }
        if (!from.empty() && store_->expired.count(from) != 0) {
          response.status = 410;
          response.set_content(StatusJson(410, "Expired", "too old resource version: " + from),
                               "application/json");
          return;
        }
        std::vector<const std::string*> selected;
        for (const std::string& event : store_->events) {
          if (Selected(event, ns, recorded.Param("fieldSelector"))) selected.push_back(&event);
        }
        response.set_content(ListPage(R"("kind":"EventList","apiVersion":"v1")",
                                      store_->list_version, selected, recorded),
                             "application/json");
      });

  // The Workflow collection: lists of every workflow set (paged by limit and continue), scripted
  // watches.
  server_->Get(R"(/apis/argoproj.io/v1alpha1(/namespaces/([^/]+))?/workflows)",
               [this, deny](const httplib::Request& request, httplib::Response& response) {
                 const RecordedRequest recorded = testing::Record(request);
                 Record(recorded);
                 if (!Authorized(recorded)) return deny(response);
                 const std::string ns = request.matches.size() > 2 ? request.matches[2].str() : "";
                 std::unique_lock lock(store_->mutex);
                 if (recorded.Param("watch") == "true") {
                   WatchScript script;
                   if (!store_->workflow_watches.empty()) {
                     script = std::move(store_->workflow_watches.front());
                     store_->workflow_watches.pop_front();
                   }
                   lock.unlock();
                   StreamScript(std::move(script), recorded, response);
                   return;
                 }
                 std::vector<const std::string*> selected;
                 for (const auto& [key, json] : store_->workflows) {
                   if (ns.empty() || key.rfind(ns + "/", 0) == 0) selected.push_back(&json);
                 }
                 response.set_content(
                     ListPage(R"("kind":"WorkflowList","apiVersion":"argoproj.io/v1alpha1")",
                              store_->workflow_list_version, selected, recorded),
                     "application/json");
               });

  server_->Get(R"(/apis/argoproj.io/v1alpha1/namespaces/([^/]+)/workflows/([^/]+))",
               [this, deny](const httplib::Request& request, httplib::Response& response) {
                 const RecordedRequest recorded = testing::Record(request);
                 Record(recorded);
                 if (!Authorized(recorded)) return deny(response);
                 const std::string key = request.matches[1].str() + "/" + request.matches[2].str();
                 std::lock_guard lock(store_->mutex);
                 const auto it = store_->workflows.find(key);
                 if (it == store_->workflows.end()) {
                   response.status = 404;
                   response.set_content(StatusJson(404, "NotFound",
                                                   "workflows.argoproj.io \"" +
                                                       request.matches[2].str() + "\" not found"),
                                        "application/json");
                   return;
                 }
                 response.set_content(it->second, "application/json");
               });

  ServeLeases();
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = ServeInBackground(*server_);
}

FakeKubeApi::~FakeKubeApi() {
  store_->stopping = true;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeKubeApi::Url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void FakeKubeApi::RequireToken(const std::string& token) {
  std::lock_guard lock(store_->mutex);
  store_->token = token;
}

void FakeKubeApi::SetEvents(std::vector<std::string> event_objects,
                            const std::string& resource_version) {
  std::lock_guard lock(store_->mutex);
  store_->events = std::move(event_objects);
  store_->list_version = resource_version;
}

void FakeKubeApi::ExpireResourceVersion(const std::string& resource_version) {
  std::lock_guard lock(store_->mutex);
  store_->expired.insert(resource_version);
}

void FakeKubeApi::FailNextList(int status) {
  std::lock_guard lock(store_->mutex);
  store_->list_failures.push_back(status);
}

void FakeKubeApi::AddWatch(WatchScript script) {
  std::lock_guard lock(store_->mutex);
  store_->watches.push_back(std::move(script));
}

void FakeKubeApi::StreamScript(WatchScript script, const RecordedRequest& recorded,
                               httplib::Response& response) {
  if (script.status != 200) {
    response.status = script.status;
    response.set_content(StatusJson(script.status, "InternalError", "scripted failure"),
                         "application/json");
    return;
  }
  const auto timeout = std::chrono::seconds(std::stoi(
      recorded.Param("timeoutSeconds").empty() ? "600" : recorded.Param("timeoutSeconds")));
  auto steps = std::make_shared<std::vector<WatchStep>>(std::move(script.steps));
  response.set_chunked_content_provider(
      "application/json", [this, steps, timeout](std::size_t, httplib::DataSink& sink) {
        for (WatchStep& step : *steps) {
          switch (step.kind) {
            case WatchStep::Kind::kSend:
              if (!WriteAll(sink, step.bytes, step.chunk)) return false;
              break;
            case WatchStep::Kind::kAction:
              step.action();
              break;
            case WatchStep::Kind::kEnd:
              sink.done();
              return true;
            case WatchStep::Kind::kDisconnect:
              return false;
            case WatchStep::Kind::kStall:
              while (!store_->stopping) std::this_thread::sleep_for(std::chrono::milliseconds(20));
              return false;
          }
        }
        // Idle, as a quiet cluster is, until the watch's timeout.
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (!store_->stopping && std::chrono::steady_clock::now() < end) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        sink.done();
        return true;
      });
}

void FakeKubeApi::AddWorkflowWatch(WatchScript script) {
  std::lock_guard lock(store_->mutex);
  store_->workflow_watches.push_back(std::move(script));
}

void FakeKubeApi::SetWorkflow(const std::string& namespace_name, const std::string& name,
                              std::string json) {
  std::lock_guard lock(store_->mutex);
  store_->workflows[namespace_name + "/" + name] = std::move(json);
}

bool FakeKubeApi::Authorized(const RecordedRequest& request) const {
  std::lock_guard lock(store_->mutex);
  return store_->token.empty() || request.Header("Authorization") == "Bearer " + store_->token;
}

void FakeKubeApi::Record(const RecordedRequest& request) {
  {
    std::lock_guard lock(store_->mutex);
    store_->requests.push_back(request);
  }
  store_->changed.notify_all();
}

std::vector<RecordedRequest> FakeKubeApi::Requests() const {
  std::lock_guard lock(store_->mutex);
  return store_->requests;
}

std::vector<RecordedRequest> FakeKubeApi::Watches() const {
  std::vector<RecordedRequest> out;
  for (RecordedRequest& request : Requests()) {
    if (IsWatch(request)) out.push_back(std::move(request));
  }
  return out;
}

std::vector<RecordedRequest> FakeKubeApi::Lists() const {
  std::vector<RecordedRequest> out;
  for (RecordedRequest& request : Requests()) {
    if (IsEvents(request) && !IsWatch(request)) out.push_back(std::move(request));
  }
  return out;
}

bool FakeKubeApi::WaitForWatches(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(store_->mutex);
  return store_->changed.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(
               std::count_if(store_->requests.begin(), store_->requests.end(), IsWatch)) >= count;
  });
}

}  // namespace kfpevents::testing
