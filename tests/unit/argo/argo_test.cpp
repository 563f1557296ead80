#include "kfpevents/argo.hpp"

#include <gtest/gtest.h>

#include "support/mocks.hpp"

namespace kfpevents {
namespace {

using testing::MakeEvent;

WorkflowEvent NodeEvent(const std::string& workflow, const std::string& reason,
                        const std::string& message, const std::string& node_annotation = "") {
  WorkflowEvent event = MakeEvent(workflow, reason, message);
  if (!node_annotation.empty()) event.annotations[kNodeNameAnnotation] = node_annotation;
  return event;
}

WorkflowInfo WorkflowWithNode(const std::string& full_name, const std::string& display_name) {
  WorkflowInfo workflow;
  workflow.name = "my-wf";
  workflow.namespace_name = "kubeflow";
  workflow.labels[kRunIdLabel] = "run-123";
  workflow.nodes.push_back(
      {"my-wf-111", full_name, display_name, "Pod", "t", "Succeeded", "", "", ""});
  return workflow;
}

TEST(NodeDisplayNameTest, WorkflowLevelEventsHaveNone) {
  for (const char* reason :
       {"WorkflowRunning", "WorkflowSucceeded", "WorkflowFailed", "WorkflowTimedOut"}) {
    EXPECT_EQ(NodeDisplayName(MakeEvent("my-wf", reason, "Workflow Running"), nullptr), "")
        << reason;
  }
}

TEST(NodeDisplayNameTest, PrefersTheWorkflowNodesDisplayName) {
  const WorkflowInfo workflow = WorkflowWithNode("my-wf.train", "Train the model");
  const WorkflowEvent event =
      NodeEvent("my-wf", "WorkflowNodeSucceeded", "Succeeded node my-wf.train", "my-wf.train");
  EXPECT_EQ(NodeDisplayName(event, &workflow), "Train the model");
}

TEST(NodeDisplayNameTest, DerivesFromTheAnnotationWhenTheNodeIsUnknown) {
  const WorkflowInfo workflow = WorkflowWithNode("my-wf.other", "other");
  const WorkflowEvent event =
      NodeEvent("my-wf", "WorkflowNodeSucceeded", "ignored", "my-wf.dataprocessing");
  EXPECT_EQ(NodeDisplayName(event, &workflow), "dataprocessing");
  EXPECT_EQ(NodeDisplayName(event, nullptr), "dataprocessing");
}

TEST(NodeDisplayNameTest, DerivesFromTheMessageWithoutAnnotations) {
  EXPECT_EQ(NodeDisplayName(NodeEvent("tacos-vs-burritos-vw8g9", "WorkflowNodeSucceeded",
                                      "Succeeded node tacos-vs-burritos-vw8g9.dataprocessing"),
                            nullptr),
            "dataprocessing");
  EXPECT_EQ(NodeDisplayName(NodeEvent("my-wf", "WorkflowNodeFailed",
                                      "Failed node my-wf.train: Error (exit code 1)"),
                            nullptr),
            "train");
}

TEST(NodeDisplayNameTest, HandlesStepsRetriesLoopsAndTheRootNode) {
  const auto derive = [](const std::string& full_name) {
    return NodeDisplayName(NodeEvent("my-wf", "WorkflowNodeRunning", "", full_name), nullptr);
  };
  EXPECT_EQ(derive("my-wf[0].step"), "step");
  EXPECT_EQ(derive("my-wf[0]"), "[0]");
  EXPECT_EQ(derive("my-wf.train(1)"), "train(1)");
  EXPECT_EQ(derive("my-wf.outer.inner"), "inner");
  EXPECT_EQ(derive("my-wf.loop(0:a.b)"), "loop(0:a.b)");  // dots inside an item stay
  EXPECT_EQ(derive("my-wf"), "my-wf");                    // the root DAG node
}

TEST(NodeDisplayNameTest, AMessageThatNamesNoNodeGivesEmpty) {
  EXPECT_EQ(NodeDisplayName(NodeEvent("my-wf", "WorkflowNodeRunning", "something else"), nullptr),
            "");
}

TEST(WorkflowOfTest, UsesTheInvolvedWorkflow) {
  const WorkflowRef ref = WorkflowOf(MakeEvent("my-wf", "WorkflowRunning"));
  EXPECT_EQ(ref.namespace_name, "kubeflow");
  EXPECT_EQ(ref.name, "my-wf");
  EXPECT_EQ(ref.uid, "my-wf-uid");
}

TEST(WorkflowOfTest, PodEventsNameTheirWorkflowInAnnotations) {
  WorkflowEvent event = MakeEvent("my-wf-pod-123", "WorkflowNodeSucceeded");
  event.involved_object.kind = "Pod";
  event.annotations[kWorkflowNameAnnotation] = "my-wf";
  event.annotations[kWorkflowUidAnnotation] = "wf-uid-1";
  const WorkflowRef ref = WorkflowOf(event);
  EXPECT_EQ(ref.name, "my-wf");
  EXPECT_EQ(ref.uid, "wf-uid-1");
  EXPECT_EQ(ref.namespace_name, "kubeflow");
}

TEST(KfpRunIdTest, ReadsThePipelineRunIdLabel) {
  const WorkflowInfo workflow = WorkflowWithNode("my-wf.a", "a");
  EXPECT_EQ(KfpRunId(&workflow), "run-123");
  EXPECT_EQ(KfpRunId(nullptr), "");
  EXPECT_EQ(KfpRunId(&static_cast<const WorkflowInfo&>(WorkflowInfo{})), "");
}

}  // namespace
}  // namespace kfpevents
