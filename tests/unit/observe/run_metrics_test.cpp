#include "observe/run_metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/argo.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents::observe {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Notification Ended(const std::string& reason, const std::string& pipeline,
                   const std::string& message = "") {
  Notification notification;
  notification.event = testing::MakeEvent("wf", reason, message);
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.namespace_name = "team-a";
  workflow.generate_name = pipeline + "-";
  workflow.kfp_v2 = true;
  workflow.phase = reason == "WorkflowSucceeded" ? "Succeeded" : "Failed";
  workflow.message = message;
  workflow.started_at = "2026-11-26T06:00:00Z";
  workflow.finished_at = "2026-11-26T06:20:00Z";
  notification.workflow = testing::Shared(workflow);
  return notification;
}

TEST(RunMetricsTest, CountsRunEndsByOutcomeAndTheirDurations) {
  MetricsRegistry registry;
  RunMetrics runs(registry);
  EXPECT_THAT(registry.Render(), HasSubstr("# TYPE kfp_eventd_run_duration_seconds histogram"));
  runs.Record(Ended("WorkflowSucceeded", "churn"));
  runs.Record(Ended("WorkflowFailed", "churn"));
  runs.Record(Ended("WorkflowFailed", "churn", "Max duration limit exceeded"));
  runs.Record(Ended("WorkflowTimedOut", "churn"));  // WorkflowFailed follows it: not counted
  runs.Record(Ended("WorkflowRunning", "churn"));
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_total{namespace="team-a",pipeline="churn",outcome="Succeeded"} 1)"));
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_total{namespace="team-a",pipeline="churn",outcome="Failed"} 1)"));
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_total{namespace="team-a",pipeline="churn",outcome="TimedOut"} 1)"));
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_run_duration_seconds_count{pipeline="churn"} 3)"));
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_run_duration_seconds_sum{pipeline="churn"} 3600)"));
}

TEST(RunMetricsTest, PipelinesBeyondTheLimitShareOneLabel) {
  MetricsRegistry registry;
  RunMetrics runs(registry);
  for (std::size_t i = 0; i <= RunMetrics::kMaxPipelines; ++i) {
    runs.Record(Ended("WorkflowSucceeded", "p" + std::to_string(i)));
  }
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr(R"x(pipeline="(other)")x"));
  EXPECT_THAT(text, Not(HasSubstr("pipeline=\"p" + std::to_string(RunMetrics::kMaxPipelines) + "\"")));
}

}  // namespace
}  // namespace kfpevents::observe
