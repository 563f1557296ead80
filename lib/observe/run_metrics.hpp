// Run outcomes as metrics, for Alertmanager: runs ended per namespace, pipeline and outcome, and
// their durations per pipeline. Label values are bounded: past kMaxPipelines distinct
// (namespace, pipeline) pairs, new ones count under pipeline "(other)".
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "kfpevents/metrics.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::observe {

class RunMetrics {
 public:
  static constexpr std::size_t kMaxPipelines = 500;

  explicit RunMetrics(MetricsRegistry& registry);

  // Counts a notified run end (a workflow-level WorkflowSucceeded or WorkflowFailed; a
  // WorkflowTimedOut is left to the WorkflowFailed Argo records after it). Other events: nothing.
  void Record(const Notification& notification);

 private:
  MetricsRegistry& registry_;
  std::mutex mutex_;
  std::set<std::pair<std::string, std::string>> pipelines_;  // (namespace, pipeline) seen
};

}  // namespace kfpevents::observe
