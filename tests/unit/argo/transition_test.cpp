#include "kfpevents/transition.hpp"

#include <gtest/gtest.h>

#include "kfpevents/argo.hpp"
#include "support/mocks.hpp"

namespace kfpevents {
namespace {

using testing::MakeEvent;

WorkflowEvent TrainFailed(const std::string& start_annotation) {
  WorkflowEvent event =
      MakeEvent("my-wf", "WorkflowNodeFailed", "Failed node my-wf.train: Error (exit code 1)");
  event.annotations[kNodeNameAnnotation] = "my-wf.train";
  event.annotations[kNodeIdAnnotation] = "my-wf-2783";
  if (!start_annotation.empty()) event.annotations[kNodeStartTimeAnnotation] = start_annotation;
  return event;
}

TEST(TransitionKeyTest, NamesWorkflowNodeReasonAndStartInSeconds) {
  EXPECT_EQ(TransitionKey(TrainFailed("1795417200123456789"), nullptr),
            "my-wf-uid/my-wf-2783/WorkflowNodeFailed/1795417200");
}

TEST(TransitionKeyTest, DuplicateEventObjectsOfOneTransitionShareTheKey) {
  WorkflowEvent first = TrainFailed("1795417200123456789");
  WorkflowEvent second = first;
  second.uid = "another-event-object";
  second.name = "my-wf.other";
  second.count = 3;
  second.last_timestamp = "2026-11-23T07:05:00Z";
  EXPECT_EQ(TransitionKey(first, nullptr), TransitionKey(second, nullptr));
  EXPECT_EQ(MessageIdForKey(TransitionKey(first, nullptr)),
            MessageIdForKey(TransitionKey(second, nullptr)));
}

TEST(TransitionKeyTest, ARetriedNodesSecondFailureIsANewTransition) {
  EXPECT_NE(TransitionKey(TrainFailed("1795417200000000000"), nullptr),
            TransitionKey(TrainFailed("1795417500000000000"), nullptr));
}

TEST(TransitionKeyTest, EventAndWorkflowStatusAgreeOnTheStartTime) {
  WorkflowInfo workflow;
  workflow.uid = "my-wf-uid";
  workflow.name = "my-wf";
  workflow.nodes.push_back(
      {"my-wf-2783", "my-wf.train", "train", "Pod", "", "Failed", "", "2026-11-23T07:00:00Z", ""});
  WorkflowEvent old_controller = TrainFailed("");
  old_controller.annotations.erase(kNodeIdAnnotation);
  EXPECT_EQ(TransitionKey(old_controller, &workflow),
            TransitionKey(TrainFailed("1795417200999999999"), nullptr));
}

TEST(TransitionKeyTest, WorkflowLevelKeysUseTheWorkflowsStart) {
  WorkflowInfo workflow;
  workflow.started_at = "2026-11-23T07:00:00Z";
  EXPECT_EQ(TransitionKey(MakeEvent("my-wf", "WorkflowSucceeded"), &workflow),
            "my-wf-uid//WorkflowSucceeded/1795417200");
  WorkflowEvent no_uid = MakeEvent("my-wf", "WorkflowSucceeded");
  no_uid.involved_object.uid.clear();
  EXPECT_EQ(TransitionKey(no_uid, nullptr), "kubeflow/my-wf//WorkflowSucceeded/");
}

TEST(MessageIdTest, IsStableHeaderSafeAndDistinct) {
  const std::string id = MessageIdForKey("my-wf-uid//WorkflowSucceeded/1795417200");
  EXPECT_EQ(id, MessageIdForKey("my-wf-uid//WorkflowSucceeded/1795417200"));
  EXPECT_EQ(id.size(), 4u + 32u);
  EXPECT_EQ(id.rfind("msg_", 0), 0u);
  EXPECT_EQ(id.find_first_not_of("msg_0123456789abcdef"), std::string::npos);
  EXPECT_NE(id, MessageIdForKey("my-wf-uid//WorkflowFailed/1795417200"));
  // Pinned: ids are persisted by subscribers (and later by the state store); never change them.
  EXPECT_EQ(MessageIdForKey(""), "msg_e3b0c44298fc1c149afbf4c8996fb924");
}

}  // namespace
}  // namespace kfpevents
