#include "kube/workflow_watch.hpp"

#include <algorithm>
#include <unordered_set>

#include "argo/decoders.hpp"
#include "argo/status_transitions.hpp"
#include "core/rfc3339.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents::kube {
namespace {

ReflectorOptions WorkflowReflectorOptions(const KubeEventSourceOptions& options,
                                          const std::string& namespace_name) {
  ReflectorOptions out = ReflectorOptionsFor(options, "/apis/argoproj.io/v1alpha1", "workflows",
                                             namespace_name, "workflows");
  // Workflows carry their whole status, up to megabytes each: a page is held whole while it is
  // read, so small pages bound the daemon's memory during a list (bench/e2e.sh).
  out.page_size = std::min<std::size_t>(options.page_size, 10);
  return out;
}

}  // namespace

WorkflowWatch::WorkflowWatch(const KubeEventSourceOptions& options, std::string namespace_name,
                             std::shared_ptr<TokenSource> tokens, std::uint64_t seed)
    : options_(options),
      reflector_options_(WorkflowReflectorOptions(options, namespace_name)),
      reflector_(reflector_options_, options.connection, std::move(tokens), seed) {
  if (options.metrics) {
    long_runs_ = std::make_unique<observe::LongRuns>(*options.metrics, options.long_run_threshold);
  }
}

void WorkflowWatch::Log(LogLevel level, const std::string& message) const {
  options_.logger->Log(level, reflector_options_.description + ": " + message);
}

void WorkflowWatch::Run(std::stop_token stop, const Sink& sink) {
  sink_ = &sink;
  reflector_.Run(stop, *this);
  sink_ = nullptr;
}

bool WorkflowWatch::Reconcile(const WorkflowInfo& workflow) {
  if (options_.on_workflow) options_.on_workflow(workflow);
  if (long_runs_) long_runs_->Observe(workflow);
  const auto after =
      std::chrono::duration_cast<std::chrono::seconds>(options_.reconcile_after.time_since_epoch())
          .count();
  std::vector<std::uint64_t>& handed_on = handed_on_[workflow.uid];
  for (WorkflowEvent& event : argo::StatusTransitions(workflow)) {
    if (ParseRfc3339Seconds(event.last_timestamp).value_or(0) < after) continue;
    const std::uint64_t hash = std::hash<std::string>{}(TransitionKey(event, &workflow));
    const auto at = std::lower_bound(handed_on.begin(), handed_on.end(), hash);
    if (at != handed_on.end() && *at == hash) continue;
    handed_on.insert(at, hash);
    if (!(*sink_)(std::move(event))) return false;
  }
  return true;
}

Result<ListPageMeta> WorkflowWatch::ListPage(const std::string& body) {
  Result<argo::WorkflowListPage> page = argo::SummarizeWorkflowList(body, body.capacity());
  if (!page) return page.error();
  for (const std::string& why : page->bad_items) {
    Log(LogLevel::kWarning, "list: skipped a Workflow that cannot be read: " + why);
  }
  // A list abandoned half-way may have handed on some transitions already: the retry's list
  // hands on only the rest (handed_on_), and the pipeline recognises what was notified.
  for (const WorkflowInfo& workflow : page->workflows) {
    listed_uids_.insert(workflow.uid);
    if (!Reconcile(workflow)) return Status::Cancelled("stopping");
  }
  return ListPageMeta{page->resource_version, page->continue_token};
}

bool WorkflowWatch::Listed(const std::string& resource_version, bool relist) {
  const std::unordered_set<std::string> present = std::move(listed_uids_);
  listed_uids_.clear();
  Log(LogLevel::kInfo, std::string(relist ? "relisted " : "listed ") +
                           std::to_string(present.size()) + " workflows at resourceVersion " +
                           resource_version + " and reconciled their status");
  // Workflows the list lacks were deleted: forget what was handed on for them.
  if (long_runs_) long_runs_->Refresh(std::chrono::system_clock::now());
  std::erase_if(handed_on_, [&](const auto& item) {
    if (present.count(item.first) != 0) return false;
    if (options_.on_workflow_deleted) options_.on_workflow_deleted(item.first);
    if (long_runs_) long_runs_->Forget(item.first);
    return true;
  });
  return true;
}

Result<LineOutcome> WorkflowWatch::WatchLine(std::string_view line) {
  Result<argo::WorkflowWatchLine> frame = argo::SummarizeWorkflowWatchLine(line);
  if (!frame) {
    return Status::InvalidArgument("skipped a line that is not a watch event: " +
                                   frame.error().message());
  }
  const std::optional<WatchType> type = WatchTypeNamed(frame->type);
  if (!type) {
    return Status::InvalidArgument("skipped a line of unknown watch type \"" + frame->type + "\"");
  }
  LineOutcome outcome{*type,
                      frame->resource_version,
                      {frame->status_code, frame->status_reason, frame->status_message},
                      false};
  if (*type == WatchType::kDeleted) {
    handed_on_.erase(frame->uid);
    if (options_.on_workflow_deleted && !frame->uid.empty()) {
      options_.on_workflow_deleted(frame->uid);
    }
    if (long_runs_) long_runs_->Forget(frame->uid);
  } else if (*type == WatchType::kAdded || *type == WatchType::kModified) {
    if (!frame->workflow) {
      Log(LogLevel::kWarning,
          "skipped a Workflow that cannot be read: " + frame->workflow.error().message());
      return outcome;
    }
    outcome.stop = !Reconcile(*frame->workflow);
  }
  // Lines, bookmarks included (about once a minute), move the long-run gauge on; at most once
  // a second, since a busy watch reads many lines a second and each refresh walks every run.
  const auto now = std::chrono::steady_clock::now();
  if (long_runs_ && now - long_runs_refreshed_ >= std::chrono::seconds(1)) {
    long_runs_refreshed_ = now;
    long_runs_->Refresh(std::chrono::system_clock::now());
  }
  return outcome;
}

}  // namespace kfpevents::kube
