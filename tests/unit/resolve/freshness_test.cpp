#include "resolve/freshness.hpp"

#include <gtest/gtest.h>

namespace kfpevents::resolve {
namespace {

WorkflowInfo Workflow(const std::string& phase, const std::string& node_phase) {
  WorkflowInfo info;
  info.name = "wf";
  info.resource_version = "100";
  info.phase = phase;
  NodeSummary node;
  node.name = "wf.train";
  node.phase = node_phase;
  info.nodes.push_back(node);
  return info;
}

WorkflowRef Ref(const std::string& node, const std::string& phase, const std::string& rv = "") {
  WorkflowRef ref;
  ref.name = "wf";
  ref.node_name = node;
  ref.phase = phase;
  ref.resource_version = rv;
  return ref;
}

TEST(SummaryKnowsTest, TheSameVersionIsAlwaysFresh) {
  EXPECT_TRUE(SummaryKnows(Workflow("Running", "Running"), Ref("wf.other", "Failed", "100")));
}

TEST(SummaryKnowsTest, ANodeInOrPastTheEventsPhaseIsFresh) {
  EXPECT_TRUE(SummaryKnows(Workflow("Running", "Running"), Ref("wf.train", "Running")));
  EXPECT_TRUE(SummaryKnows(Workflow("Running", "Succeeded"), Ref("wf.train", "Running")));
  EXPECT_FALSE(SummaryKnows(Workflow("Running", "Running"), Ref("wf.train", "Succeeded")));
  EXPECT_FALSE(SummaryKnows(Workflow("Running", "Running"), Ref("wf.new-step", "Running")));
}

TEST(SummaryKnowsTest, TheWorkflowInOrPastTheEventsPhaseIsFresh) {
  EXPECT_TRUE(SummaryKnows(Workflow("Failed", "Failed"), Ref("", "Failed")));
  EXPECT_TRUE(SummaryKnows(Workflow("Error", "Failed"), Ref("", "Failed")));
  EXPECT_FALSE(SummaryKnows(Workflow("Running", "Running"), Ref("", "Succeeded")));
  EXPECT_FALSE(SummaryKnows(Workflow("Pending", ""), Ref("", "Running")));
  EXPECT_TRUE(SummaryKnows(Workflow("Running", ""), Ref("", "")));  // no phase to compare
}

}  // namespace
}  // namespace kfpevents::resolve
