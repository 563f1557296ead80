#include "kube/event_watch.hpp"

#include <algorithm>
#include <climits>

#include "core/rfc3339.hpp"
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

std::int64_t SecondsOf(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

ReflectorOptions EventReflectorOptions(const KubeEventSourceOptions& options,
                                       const std::string& namespace_name) {
  ReflectorOptions out = ReflectorOptionsFor(options, "/api/v1", "events", namespace_name, "watch");
  out.field_selector = options.field_selector;
  return out;
}

}  // namespace

EventWatch::EventWatch(const KubeEventSourceOptions& options, std::string namespace_name,
                       std::shared_ptr<TokenSource> tokens, std::uint64_t seed)
    : options_(options),
      scope_(namespace_name.empty() ? "*" : namespace_name),
      reflector_options_(EventReflectorOptions(options, namespace_name)),
      reflector_(reflector_options_, options.connection, std::move(tokens), seed),
      resuming_(options.resume_after.has_value()) {}

void EventWatch::Log(LogLevel level, const std::string& message) const {
  options_.logger->Log(level, reflector_options_.description + ": " + message);
}

void EventWatch::Run(std::stop_token stop, const Sink& sink) {
  sink_ = &sink;
  std::string resume_from;
  if (resuming_) {
    if (const auto found = options_.resume_from.find(scope_); found != options_.resume_from.end()) {
      resume_from = found->second;
    }
  }
  reflector_.Run(stop, *this, resume_from);
  sink_ = nullptr;
}

bool EventWatch::Wanted(const WorkflowEvent& event) const {
  return options_.source_component.empty() || event.source_component == options_.source_component;
}

bool EventWatch::Offer(const WorkflowEvent& event) {
  if (!Wanted(event)) return true;
  const auto [it, inserted] = seen_.try_emplace(SeenKey(event), event.count);
  if (!inserted) {
    if (event.count <= it->second) return true;  // the same occurrence again (relist, replay)
    it->second = event.count;                    // a repeat aggregated into this Event
  }
  return (*sink_)(event);
}

Result<ListPageMeta> EventWatch::ListPage(const std::string& body) {
  Result<EventListPage> page = DecodeEventList(body);
  if (!page) return page.error();
  for (const std::string& why : page->bad_items) {
    Log(LogLevel::kWarning, "list: skipped an Event that cannot be read: " + why);
  }
  std::move(page->events.begin(), page->events.end(), std::back_inserter(listed_items_));
  return static_cast<ListPageMeta>(*page);
}

bool EventWatch::Listed(const std::string& resource_version, bool relist) {
  std::vector<WorkflowEvent> listed = std::move(listed_items_);
  listed_items_.clear();
  const bool baseline = !relist && !resuming_;
  const std::int64_t since_cutoff = SecondsOf(std::chrono::system_clock::now() - options_.since);
  // Events from before the store's baseline were never news, whatever a relist says.
  const std::int64_t resume_cutoff =
      options_.resume_after ? SecondsOf(*options_.resume_after) : INT64_MIN;

  std::vector<WorkflowEvent> fresh;
  std::unordered_map<std::string, std::int64_t> now_seen;
  for (WorkflowEvent& event : listed) {
    if (!Wanted(event)) continue;
    const std::string key = SeenKey(event);
    now_seen[key] = event.count;
    const auto known = seen_.find(key);
    const bool is_new = known == seen_.end() || event.count > known->second;
    // The first list is the baseline: what already happened is not news, unless --since asks.
    const bool notify = baseline ? options_.since.count() > 0 && LastSeconds(event) >= since_cutoff
                                 : is_new && LastSeconds(event) >= resume_cutoff;
    if (notify) fresh.push_back(std::move(event));
  }
  std::stable_sort(fresh.begin(), fresh.end(), [](const WorkflowEvent& a, const WorkflowEvent& b) {
    return LastSeconds(a) < LastSeconds(b);
  });
  Log(LogLevel::kInfo, std::string(relist ? "relisted " : "listed ") +
                           std::to_string(now_seen.size()) + " events at resourceVersion " +
                           resource_version + (baseline ? " (baseline), " : ", ") +
                           std::to_string(fresh.size()) + " to notify");
  // The list is the whole truth: Events it lacks were deleted, so forget them.
  seen_ = std::move(now_seen);
  for (const WorkflowEvent& event : fresh) {
    if (!(*sink_)(event)) return false;
  }
  return true;
}

Result<LineOutcome> EventWatch::WatchLine(std::string_view line) {
  Result<WatchFrame> frame = DecodeWatchLine(line);
  if (!frame) {
    return Status::InvalidArgument("skipped a line that is not a watch event: " +
                                   frame.error().message());
  }
  LineOutcome outcome{frame->type, frame->resource_version, frame->status, false};
  switch (frame->type) {
    case WatchType::kError:
    case WatchType::kBookmark:
      return outcome;
    case WatchType::kDeleted:
      if (!frame->uid.empty()) seen_.erase(frame->uid);
      return outcome;
    default:
      break;
  }
  if (!frame->event) {
    Log(LogLevel::kWarning,
        "skipped an Event that cannot be read: " + frame->event.error().message());
    return outcome;
  }
  frame->event->checkpoint_scope = scope_;  // a watch's resourceVersions only move forward
  outcome.stop = !Offer(*frame->event);
  return outcome;
}

}  // namespace kfpevents::kube
