#include "kube/event_watch.hpp"

#include <algorithm>
#include <climits>
#include <vector>

#include "core/rfc3339.hpp"
#include "core/sleep.hpp"
#include "kube/line_splitter.hpp"
#include "kube/watch_frames.hpp"

namespace kfpevents::kube {
namespace {

// An Event's identity across list and watch; Kubernetes always sets uid.
std::string SeenKey(const WorkflowEvent& event) {
  return event.uid.empty() ? event.namespace_name + "/" + event.name : event.uid;
}

std::int64_t LastSeconds(const WorkflowEvent& event) {
  return ParseRfc3339Seconds(event.last_timestamp).value_or(0);
}

constexpr std::chrono::milliseconds kListTimeout{60'000};
constexpr std::size_t kMaxListPageBytes = 64 * 1024 * 1024;

}  // namespace

EventWatch::EventWatch(const KubeEventSourceOptions& options, std::string namespace_name,
                       std::shared_ptr<TokenSource> tokens, std::uint64_t seed)
    : options_(options),
      namespace_name_(std::move(namespace_name)),
      collection_path_(namespace_name_.empty()
                           ? "/api/v1/events"
                           : "/api/v1/namespaces/" + QueryEscape(namespace_name_) + "/events"),
      scope_(namespace_name_.empty() ? "*" : namespace_name_),
      client_(options.connection, std::move(tokens)),
      backoff_(options.backoff, seed),
      random_(seed ^ 0x9e3779b97f4a7c15ULL) {
  if (options_.resume_after) {
    listed_ = true;  // the store knows what was notified: nothing is a baseline
    if (const auto found = options_.resume_from.find(scope_); found != options_.resume_from.end()) {
      resource_version_ = found->second;
      resume_watch_ = !resource_version_.empty();
    }
  }
}

void EventWatch::Log(LogLevel level, const std::string& message) const {
  options_.logger->Log(
      level, "watch " +
                 (namespace_name_.empty() ? std::string("(all namespaces)") : namespace_name_) +
                 ": " + message);
}

void EventWatch::Pause(std::stop_token stop) {
  const std::chrono::milliseconds delay = backoff_.NextDelay(std::chrono::steady_clock::now());
  Log(LogLevel::kDebug, "retrying in " + std::to_string(delay.count()) + " ms");
  SleepFor(delay, stop);
}

void EventWatch::Run(std::stop_token stop, const Sink& sink) {
  bool need_list = !resume_watch_;
  if (resume_watch_) Log(LogLevel::kInfo, "resuming at resourceVersion " + resource_version_);
  while (!stop.stop_requested()) {
    if (need_list) {
      const Status listed = ListAndCatchUp(stop, sink);
      if (listed.code() == ErrorCode::kCancelled) return;
      if (!listed.ok()) {
        Log(LogLevel::kWarning, "list failed: " + listed.message());
        Pause(stop);
        continue;
      }
      need_list = false;
    }
    const auto started = std::chrono::steady_clock::now();
    switch (Watch(stop, sink)) {
      case WatchEnd::kStopped:
        return;
      case WatchEnd::kExpired:
        Log(LogLevel::kInfo,
            "resourceVersion " + resource_version_ + " is too old (410); relisting to catch up");
        need_list = true;
        break;
      case WatchEnd::kFailed:
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

bool EventWatch::Wanted(const WorkflowEvent& event) const {
  return options_.source_component.empty() || event.source_component == options_.source_component;
}

bool EventWatch::Offer(const WorkflowEvent& event, const Sink& sink) {
  if (!Wanted(event)) return true;
  const auto [it, inserted] = seen_.try_emplace(SeenKey(event), event.count);
  if (!inserted) {
    if (event.count <= it->second) return true;  // the same occurrence again (relist, replay)
    it->second = event.count;                    // a repeat aggregated into this Event
  }
  return sink(event);
}

Result<EventListPage> EventWatch::ListPage(const std::string& query, std::stop_token stop,
                                           long& http_status) {
  Result<ApiResponse> response =
      client_.Get(collection_path_ + query, stop, kMaxListPageBytes, kListTimeout);
  if (!response) return response.error();
  http_status = response->status;
  if (response->status != 200) {
    const ApiStatus status = DecodeApiStatus(response->body, response->status);
    return Status::Unavailable("HTTP " + std::to_string(response->status) +
                               (status.reason.empty() ? "" : " " + status.reason) + ": " +
                               status.message);
  }
  return DecodeEventList(response->body);
}

Status EventWatch::ListAndCatchUp(std::stop_token stop, const Sink& sink) {
  std::vector<WorkflowEvent> listed;
  std::string list_version;
  // A relist first asks for the state at our last resourceVersion; if the server no longer has
  // it (410), from scratch.
  std::string from = listed_ ? resource_version_ : std::string();
  for (;;) {
    listed.clear();
    std::string continue_token;
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
      Result<EventListPage> page = ListPage(query, stop, http_status);
      if (!page) {
        failed = page.error();
        break;
      }
      for (const std::string& why : page->bad_items) {
        Log(LogLevel::kWarning, "list: skipped an Event that cannot be read: " + why);
      }
      std::move(page->events.begin(), page->events.end(), std::back_inserter(listed));
      list_version = page->resource_version;
      continue_token = page->continue_token;
    } while (!continue_token.empty());
    if (failed.ok()) break;
    if (failed.code() == ErrorCode::kCancelled) return failed;
    if (http_status == 410 && !from.empty()) {
      Log(LogLevel::kInfo, "resourceVersion " + from + " is gone too; listing from scratch");
      from.clear();
      continue;
    }
    if (http_status == 410) continue;  // a continue token expired mid-list: start over
    return failed;
  }

  std::vector<WorkflowEvent> fresh;
  std::unordered_map<std::string, std::int64_t> now_seen;
  const auto seconds_of = [](std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  };
  const std::int64_t cutoff = seconds_of(std::chrono::system_clock::now() - options_.since);
  // Events from before the store's baseline were never news, whatever the relist says.
  const std::int64_t resume_cutoff =
      options_.resume_after ? seconds_of(*options_.resume_after) : INT64_MIN;
  for (WorkflowEvent& event : listed) {
    if (!Wanted(event)) continue;
    const std::string key = SeenKey(event);
    now_seen[key] = event.count;
    const auto known = seen_.find(key);
    const bool is_new = known == seen_.end() || event.count > known->second;
    // The first list is the baseline: what already happened is not news, unless --since asks.
    const bool notify = listed_ ? is_new && LastSeconds(event) >= resume_cutoff
                                : options_.since.count() > 0 && LastSeconds(event) >= cutoff;
    if (notify) fresh.push_back(std::move(event));
  }
  std::stable_sort(fresh.begin(), fresh.end(), [](const WorkflowEvent& a, const WorkflowEvent& b) {
    return LastSeconds(a) < LastSeconds(b);
  });
  Log(LogLevel::kInfo, std::string(listed_ ? "relisted " : "listed ") +
                           std::to_string(now_seen.size()) + " events at resourceVersion " +
                           list_version + (listed_ ? ", " : " (baseline), ") +
                           std::to_string(fresh.size()) + " to notify");
  // The list is the whole truth: Events it lacks were deleted, so forget them.
  seen_ = std::move(now_seen);
  resource_version_ = list_version;
  listed_ = true;
  for (const WorkflowEvent& event : fresh) {
    if (!sink(event)) return Status::Cancelled("stopping");
  }
  return Status::Ok();
}

EventWatch::WatchEnd EventWatch::Watch(std::stop_token stop, const Sink& sink) {
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
  bool sink_stopped = false;
  LineSplitter lines(
      options_.max_line_bytes,
      [&](std::string_view line) {
        if (HandleLine(line, sink, error)) return true;
        sink_stopped = error.code == 0;
        return false;
      },
      [&](std::size_t bytes) {
        Log(LogLevel::kWarning, "skipped a watch line of " + std::to_string(bytes) +
                                    " bytes (the limit is " +
                                    std::to_string(options_.max_line_bytes) + ")");
      });
  Result<ApiResponse> response = client_.Stream(
      collection_path_ + query, [&](std::string_view chunk) { return lines.Feed(chunk); }, stop,
      timeout + grace);

  if (sink_stopped || stop.stop_requested()) return WatchEnd::kStopped;
  if (!response) {
    if (response.error().code() == ErrorCode::kCancelled) return WatchEnd::kStopped;
    if (response.error().code() == ErrorCode::kTimeout) {
      Log(LogLevel::kWarning, "the watch stalled (still open " + std::to_string(grace.count()) +
                                  " s after its timeout); re-watching");
    } else {
      Log(LogLevel::kWarning, "watch broke off: " + response.error().message());
    }
    return WatchEnd::kFailed;
  }
  if (response->status != 200) error = DecodeApiStatus(response->body, response->status);
  if (error.code == 0) return WatchEnd::kClosed;
  if (error.code == 410) return WatchEnd::kExpired;
  const LogLevel level =
      (error.code == 401 || error.code == 403) ? LogLevel::kError : LogLevel::kWarning;
  Log(level, "watch refused: " + std::to_string(error.code) +
                 (error.reason.empty() ? "" : " " + error.reason) +
                 (error.message.empty() ? "" : ": " + error.message));
  return WatchEnd::kFailed;
}

bool EventWatch::HandleLine(std::string_view line, const Sink& sink, ApiStatus& error) {
  Result<WatchFrame> frame = DecodeWatchLine(line);
  if (!frame) {
    Log(LogLevel::kWarning, "skipped a line that is not a watch event: " + frame.error().message());
    return true;
  }
  if (frame->type == WatchType::kError) {
    error = frame->status;
    if (error.code == 0) error.code = 500;  // an ERROR without a code is still an error
    return false;
  }
  if (!frame->resource_version.empty()) resource_version_ = frame->resource_version;
  switch (frame->type) {
    case WatchType::kBookmark:
      return true;
    case WatchType::kDeleted:
      if (!frame->uid.empty()) seen_.erase(frame->uid);
      return true;
    default:
      break;
  }
  if (!frame->event) {
    Log(LogLevel::kWarning,
        "skipped an Event that cannot be read: " + frame->event.error().message());
    return true;
  }
  frame->event->checkpoint_scope = scope_;  // a watch's resourceVersions only move forward
  return Offer(*frame->event, sink);
}

}  // namespace kfpevents::kube
