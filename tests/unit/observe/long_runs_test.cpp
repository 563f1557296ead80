#include "observe/long_runs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kfpevents::observe {
namespace {

using ::testing::HasSubstr;

WorkflowInfo Workflow(const std::string& uid, const std::string& ns, const std::string& phase,
                 const std::string& started) {
  WorkflowInfo workflow;
  workflow.uid = uid;
  workflow.namespace_name = ns;
  workflow.phase = phase;
  workflow.started_at = started;
  return workflow;
}

TEST(LongRunsTest, CountsRunsStillRunningPastTheThresholdAndDropsThemWhenTheyEnd) {
  MetricsRegistry registry;
  LongRuns runs(registry, std::chrono::hours(6));
  EXPECT_THAT(registry.Render(),
              HasSubstr("# TYPE kfp_eventd_runs_running_longer_than_threshold gauge"));
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1795680000));
  // 2026-11-26T08:00:00Z: one started 7 h before, one 1 h before, one done.
  runs.Observe(Workflow("a", "team-a", "Running", "2026-11-26T01:00:00Z"));
  runs.Observe(Workflow("b", "team-a", "Running", "2026-11-26T07:00:00Z"));
  runs.Observe(Workflow("c", "team-b", "Pending", "2026-11-25T08:00:00Z"));
  runs.Observe(Workflow("d", "team-b", "Succeeded", "2026-11-25T08:00:00Z"));
  runs.Refresh(now);
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_running_longer_than_threshold{namespace="team-a"} 1)"));
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_running_longer_than_threshold{namespace="team-b"} 1)"));
  runs.Observe(Workflow("a", "team-a", "Failed", "2026-11-26T01:00:00Z"));  // ended
  runs.Forget("c");                                                    // deleted
  runs.Refresh(now);
  text = registry.Render();
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_running_longer_than_threshold{namespace="team-a"} 0)"));
  EXPECT_THAT(text, HasSubstr(R"(kfp_eventd_runs_running_longer_than_threshold{namespace="team-b"} 0)"));
  runs.Refresh(now + std::chrono::hours(6));  // b has run 7 h now
  EXPECT_THAT(registry.Render(),
              HasSubstr(R"(kfp_eventd_runs_running_longer_than_threshold{namespace="team-a"} 1)"));
}

}  // namespace
}  // namespace kfpevents::observe
