#include "kube/reflector.hpp"

#include <algorithm>

#include "core/sleep.hpp"
#include "kube/line_splitter.hpp"

namespace kfpevents::kube {
namespace {

constexpr std::chrono::milliseconds kListTimeout{60'000};

}  // namespace

ReflectorHandler::~ReflectorHandler() = default;

ReflectorOptions ReflectorOptionsFor(const KubeEventSourceOptions& options,
                                     const std::string& api_prefix, const std::string& resource,
                                     const std::string& namespace_name, const std::string& what) {
  ReflectorOptions out;
  out.collection_path =
      api_prefix + (namespace_name.empty() ? "" : "/namespaces/" + QueryEscape(namespace_name)) +
      "/" + resource;
  out.description =
      what + " " + (namespace_name.empty() ? std::string("(all namespaces)") : namespace_name);
  out.page_size = options.page_size;
  out.watch_timeout_min = options.watch_timeout_min;
  out.watch_timeout_max = options.watch_timeout_max;
  out.watch_stall_timeout = options.watch_stall_timeout;
  out.backoff = options.backoff;
  out.max_line_bytes = options.max_line_bytes;
  out.logger = options.logger;
  out.resource = resource;
  out.metrics = options.metrics;
  out.readiness = options.readiness;
  return out;
}

Reflector::Reflector(ReflectorOptions options, const ApiConnection& connection,
                     std::shared_ptr<TokenSource> tokens, std::uint64_t seed)
    : options_(std::move(options)),
      registry_(observe::OrPrivate(options_.metrics)),
      metrics_(observe::WatchInstruments::For(*registry_, options_.resource)),
      client_(connection, std::move(tokens)),
      backoff_(options_.backoff, seed),
      random_(seed ^ 0x9e3779b97f4a7c15ULL) {}

void Reflector::Log(LogLevel level, const std::string& message) const {
  options_.logger->Log(level, options_.description + ": " + message);
}

void Reflector::Connected() {
  if (options_.readiness) options_.readiness->Pass(options_.description, "ok");
}

void Reflector::Disconnected(const std::string& why) {
  metrics_.errors->Add();
  if (options_.readiness) options_.readiness->Fail(options_.description, why);
}

void Reflector::Pause(std::stop_token stop) {
  const std::chrono::milliseconds delay = backoff_.NextDelay(std::chrono::steady_clock::now());
  Log(LogLevel::kDebug, "retrying in " + std::to_string(delay.count()) + " ms");
  SleepFor(delay, stop);
}

void Reflector::Run(std::stop_token stop, ReflectorHandler& handler,
                    const std::string& resume_from) {
  if (options_.readiness) options_.readiness->Fail(options_.description, "not connected yet");
  bool need_list = resume_from.empty();
  if (!need_list) {
    resource_version_ = resume_from;
    listed_ = true;
    Log(LogLevel::kInfo, "resuming at resourceVersion " + resume_from);
  }
  while (!stop.stop_requested()) {
    if (need_list) {
      const Status listed = List(stop, handler);
      if (listed.code() == ErrorCode::kCancelled) return;
      if (!listed.ok()) {
        Log(LogLevel::kWarning, "list failed: " + listed.message());
        Disconnected("list failed: " + listed.message());
        Pause(stop);
        continue;
      }
      need_list = false;
    }
    const auto started = std::chrono::steady_clock::now();
    switch (Watch(stop, handler)) {
      case WatchEnd::kStopped:
        return;
      case WatchEnd::kExpired:
        Log(LogLevel::kInfo,
            "resourceVersion " + resource_version_ + " is too old (410); relisting to catch up");
        need_list = true;
        break;
      case WatchEnd::kFailed:
        metrics_.restarts->Add();
        Pause(stop);
        break;
      case WatchEnd::kClosed:
        // The server ends each watch after timeoutSeconds; one that ends at once is a failure
        // in disguise and must not become a busy loop.
        if (std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) Pause(stop);
        break;
    }
  }
}

Result<ListPageMeta> Reflector::ListPage(const std::string& query, std::stop_token stop,
                                         ReflectorHandler& handler, long& http_status) {
  Result<ApiResponse> response = client_.Get(options_.collection_path + query, stop,
                                             options_.max_list_page_bytes, kListTimeout);
  if (!response) return response.error();
  http_status = response->status;
  if (response->status != 200) {
    const ApiStatus status = DecodeApiStatus(response->body, response->status);
    return Status::Unavailable("HTTP " + std::to_string(response->status) +
                               (status.reason.empty() ? "" : " " + status.reason) + ": " +
                               status.message);
  }
  return handler.ListPage(response->body);
}

Status Reflector::List(std::stop_token stop, ReflectorHandler& handler) {
  // A relist first asks for the state at our last resourceVersion; if the server no longer has
  // it (410), from scratch.
  std::string from = listed_ ? resource_version_ : std::string();
  for (;;) {
    std::string continue_token;
    std::string list_version;
    long http_status = 0;
    Status failed;
    do {
      std::string query = "?limit=" + std::to_string(options_.page_size);
      if (!options_.field_selector.empty()) {
        query += "&fieldSelector=" + QueryEscape(options_.field_selector);
      }
      if (!continue_token.empty()) {
        query += "&continue=" + QueryEscape(continue_token);
      } else if (!from.empty()) {
        query += "&resourceVersion=" + QueryEscape(from);
      }
      Result<ListPageMeta> page = ListPage(query, stop, handler, http_status);
      if (!page) {
        failed = page.error();
        break;
      }
      list_version = page->resource_version;
      continue_token = page->continue_token;
    } while (!continue_token.empty());
    if (failed.ok()) {
      const bool relist = listed_;
      metrics_.lists->Add();
      if (relist) metrics_.relists->Add();
      Connected();
      resource_version_ = list_version;
      listed_ = true;
      if (!handler.Listed(list_version, relist)) return Status::Cancelled("stopping");
      return Status::Ok();
    }
    handler.ListAbandoned();
    if (failed.code() == ErrorCode::kCancelled) return failed;
    if (http_status == 410 && !from.empty()) {
      Log(LogLevel::kInfo, "resourceVersion " + from + " is gone too; listing from scratch");
      from.clear();
      continue;
    }
    if (http_status == 410) continue;  // a continue token expired mid-list: start over
    return failed;
  }
}

Reflector::WatchEnd Reflector::Watch(std::stop_token stop, ReflectorHandler& handler) {
  std::uniform_int_distribution<std::int64_t> pick(options_.watch_timeout_min.count(),
                                                   options_.watch_timeout_max.count());
  const std::chrono::seconds timeout(pick(random_));
  std::string query =
      "?watch=true&allowWatchBookmarks=true&resourceVersion=" + QueryEscape(resource_version_) +
      "&timeoutSeconds=" + std::to_string(timeout.count());
  if (!options_.field_selector.empty()) {
    query += "&fieldSelector=" + QueryEscape(options_.field_selector);
  }
  // The server ends the watch after `timeout`; a stream still open well after that is stalled.
  const std::chrono::seconds grace =
      std::clamp(timeout / 10, std::chrono::seconds(1), std::chrono::seconds(30));

  ApiStatus error;
  bool handler_stopped = false;
  LineSplitter lines(
      options_.max_line_bytes,
      [&](std::string_view line) {
        Result<LineOutcome> outcome = handler.WatchLine(line);
        if (!outcome) {
          Log(LogLevel::kWarning, outcome.error().message());
          return true;
        }
        if (outcome->type == WatchType::kError) {
          error = outcome->status;
          if (error.code == 0) error.code = 500;  // an ERROR without a code is still an error
          return false;
        }
        if (!outcome->resource_version.empty()) resource_version_ = outcome->resource_version;
        handler_stopped = outcome->stop;
        return !outcome->stop;
      },
      [&](std::size_t bytes) {
        Log(LogLevel::kWarning, "skipped a watch line of " + std::to_string(bytes) +
                                    " bytes (the limit is " +
                                    std::to_string(options_.max_line_bytes) + ")");
      });
  metrics_.watches->Add();
  Result<ApiResponse> response = client_.Stream(
      options_.collection_path + query, [&](std::string_view chunk) { return lines.Feed(chunk); },
      stop, timeout + grace, [this] { Connected(); }, options_.watch_stall_timeout);

  if (handler_stopped || stop.stop_requested()) return WatchEnd::kStopped;
  if (!response) {
    if (response.error().code() == ErrorCode::kCancelled) return WatchEnd::kStopped;
    if (response.error().code() == ErrorCode::kTimeout) {
      Log(LogLevel::kWarning, "the watch stalled (" + response.error().message() +
                                  "); re-watching from resourceVersion " + resource_version_);
      Disconnected("the watch stalled");
    } else {
      Log(LogLevel::kWarning, "watch broke off: " + response.error().message());
      Disconnected("watch broke off: " + response.error().message());
    }
    return WatchEnd::kFailed;
  }
  if (response->status != 200) error = DecodeApiStatus(response->body, response->status);
  if (error.code == 0) return WatchEnd::kClosed;
  if (error.code == 410) return WatchEnd::kExpired;
  const LogLevel level =
      (error.code == 401 || error.code == 403) ? LogLevel::kError : LogLevel::kWarning;
  const std::string refused = "watch refused: " + std::to_string(error.code) +
                              (error.reason.empty() ? "" : " " + error.reason) +
                              (error.message.empty() ? "" : ": " + error.message);
  Log(level, refused);
  Disconnected(refused);
  return WatchEnd::kFailed;
}

}  // namespace kfpevents::kube
