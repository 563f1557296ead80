#include <gtest/gtest.h>

#include "kfpevents/argo.hpp"
#include "kfpevents/pipeline.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents {
namespace {

Notification NodeEventIn(const std::string& ns, const std::string& team) {
  Notification notification;
  notification.event = testing::MakeEvent("wf", "WorkflowNodeSucceeded", "Succeeded node wf.a");
  notification.event.involved_object.namespace_name = ns;
  notification.event.annotations[kNodeNameAnnotation] = "wf.a";
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.labels["team"] = team;
  notification.workflow = testing::Shared(workflow);
  return notification;
}

TEST(SubscriptionFilterTest, AnEmptyFilterWantsEverything) {
  EXPECT_TRUE(SubscriptionFilter{}.Wants(NodeEventIn("kubeflow", "ml")));
}

TEST(SubscriptionFilterTest, FiltersByNamespaceLevelAndWorkflowLabels) {
  SubscriptionFilter filter;
  filter.namespaces = {"kubeflow"};
  EXPECT_TRUE(filter.Wants(NodeEventIn("kubeflow", "ml")));
  EXPECT_FALSE(filter.Wants(NodeEventIn("other", "ml")));

  filter.level = EventLevel::kWorkflow;
  EXPECT_FALSE(filter.Wants(NodeEventIn("kubeflow", "ml")));
  filter.level = EventLevel::kNode;
  EXPECT_TRUE(filter.Wants(NodeEventIn("kubeflow", "ml")));

  filter.workflow_selector = *LabelSelector::Parse("team=ml");
  EXPECT_TRUE(filter.Wants(NodeEventIn("kubeflow", "ml")));
  EXPECT_FALSE(filter.Wants(NodeEventIn("kubeflow", "data")));
}

// A KFP 2.x run's pipeline is its generateName less the '-'; a run without one has no pipeline.
TEST(SubscriptionFilterTest, FiltersByThePipelineKfpShows) {
  Notification notification = NodeEventIn("kubeflow", "ml");
  testing::EditWorkflow(notification).kfp_v2 = true;
  testing::EditWorkflow(notification).generate_name = "train-";
  SubscriptionFilter filter;
  filter.pipelines = {"train"};
  EXPECT_TRUE(filter.Wants(notification));
  testing::EditWorkflow(notification).generate_name = "evaluate-";
  EXPECT_FALSE(filter.Wants(notification));
  notification.workflow.reset();
  EXPECT_FALSE(filter.Wants(notification));
}

TEST(SubscriptionFilterTest, AnUnresolvedWorkflowHasNoLabels) {
  Notification notification = NodeEventIn("kubeflow", "ml");
  notification.workflow.reset();
  SubscriptionFilter filter;
  filter.workflow_selector = *LabelSelector::Parse("team=ml");
  EXPECT_FALSE(filter.Wants(notification));
  filter.workflow_selector = *LabelSelector::Parse("team!=data");
  EXPECT_TRUE(filter.Wants(notification));
}

}  // namespace
}  // namespace kfpevents
