#include "observe/long_runs.hpp"

#include "core/rfc3339.hpp"

namespace kfpevents::observe {
namespace {

constexpr const char* kName = "kfp_eventd_runs_running_longer_than_threshold";
constexpr const char* kHelp =
    "Runs still running (or pending) longer than --long-run-threshold, by namespace: stuck runs.";

}  // namespace

LongRuns::LongRuns(MetricsRegistry& registry, std::chrono::seconds threshold)
    : registry_(registry), threshold_(threshold) {
  registry_.DeclareGauge(kName, kHelp);  // listed before the first run
}

void LongRuns::Observe(const WorkflowInfo& workflow) {
  std::lock_guard lock(mutex_);
  const bool running = workflow.phase.empty() || workflow.phase == "Running" ||
                       workflow.phase == "Pending";
  const std::optional<std::int64_t> started = ParseRfc3339Seconds(workflow.started_at);
  if (!running || !started || workflow.uid.empty()) {
    running_.erase(workflow.uid);
    return;
  }
  running_[workflow.uid] = {workflow.namespace_name, *started};
}

void LongRuns::Forget(const std::string& uid) {
  std::lock_guard lock(mutex_);
  running_.erase(uid);
}

void LongRuns::Refresh(std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  const std::int64_t cutoff =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch() - threshold_)
          .count();
  std::map<std::string, int> counts;
  for (auto& [ns, gauge] : gauges_) counts[ns] = 0;  // a namespace that had some goes to 0
  for (const auto& [uid, run] : running_) {
    if (run.started <= cutoff) ++counts[run.namespace_name];
  }
  for (const auto& [ns, count] : counts) {
    Gauge*& gauge = gauges_[ns];
    if (gauge == nullptr) gauge = &registry_.GetGauge(kName, kHelp, {{"namespace", ns}});
    gauge->Set(count);
  }
}

}  // namespace kfpevents::observe
