#include "observe/run_metrics.hpp"

#include "core/rfc3339.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::observe {
namespace {

constexpr const char* kRuns = "kfp_eventd_runs_total";
constexpr const char* kRunsHelp =
    "Runs that ended, by namespace, pipeline and outcome (Succeeded, Failed, Error, TimedOut).";
constexpr const char* kDuration = "kfp_eventd_run_duration_seconds";
constexpr const char* kDurationHelp = "How long runs took, start to end, by pipeline.";
// A minute to two days.
const std::vector<double> kDurationBounds = {60,    300,   600,    1800,   3600,
                                             7200,  14400, 28800,  86400,  172800};

}  // namespace

RunMetrics::RunMetrics(MetricsRegistry& registry) : registry_(registry) {
  registry_.DeclareCounter(kRuns, kRunsHelp);
  registry_.DeclareHistogram(kDuration, kDurationHelp, kDurationBounds);
}

void RunMetrics::Record(const Notification& notification) {
  const WorkflowEvent& event = notification.event;
  if (IsNodeEvent(event) ||
      (event.reason != "WorkflowSucceeded" && event.reason != "WorkflowFailed")) {
    return;
  }
  const WorkflowInfo* workflow = notification.workflow.get();
  const std::string ns = workflow ? workflow->namespace_name : WorkflowOf(event).namespace_name;
  std::string pipeline = PipelineName(workflow);
  if (pipeline.empty()) pipeline = "(unknown)";
  {
    std::lock_guard lock(mutex_);
    if (pipelines_.count({ns, pipeline}) == 0) {
      if (pipelines_.size() >= kMaxPipelines) {
        pipeline = "(other)";
      } else {
        pipelines_.insert({ns, pipeline});
      }
    }
  }
  registry_
      .GetCounter(kRuns, kRunsHelp,
                  {{"namespace", ns}, {"pipeline", pipeline}, {"outcome", RunOutcome(event, workflow)}})
      .Add();
  if (workflow) {
    const auto started = ParseRfc3339Seconds(workflow->started_at);
    const auto finished = ParseRfc3339Seconds(workflow->finished_at);
    if (started && finished && *finished >= *started) {
      registry_.GetHistogram(kDuration, kDurationHelp, kDurationBounds, {{"pipeline", pipeline}})
          .Observe(static_cast<double>(*finished - *started));
    }
  }
}

}  // namespace kfpevents::observe
