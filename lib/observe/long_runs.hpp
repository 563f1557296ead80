// Runs running longer than a set time: a "stuck run" signal for alerting, from the Workflows the
// reconciliation watch sees. Gauge kfp_eventd_runs_running_longer_than_threshold{namespace}.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "kfpevents/metrics.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::observe {

class LongRuns {
 public:
  // A run counts once it has been Running (or Pending) for `threshold`.
  LongRuns(MetricsRegistry& registry, std::chrono::seconds threshold);

  // The Workflow as the watch saw it now; a run that ended stops counting.
  void Observe(const WorkflowInfo& workflow);
  // The Workflow was deleted.
  void Forget(const std::string& uid);
  // Sets the gauge per namespace for `now` (call it every few seconds).
  void Refresh(std::chrono::system_clock::time_point now);

 private:
  struct Run {
    std::string namespace_name;
    std::int64_t started = 0;  // seconds since the epoch
  };
  MetricsRegistry& registry_;
  const std::chrono::seconds threshold_;
  std::mutex mutex_;
  std::map<std::string, Run> running_;  // by workflow uid
  std::map<std::string, Gauge*> gauges_;  // by namespace, once seen
};

}  // namespace kfpevents::observe
