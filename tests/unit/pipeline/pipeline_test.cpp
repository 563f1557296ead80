#include "kfpevents/pipeline.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"
#include "support/capturing_logger.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents {
namespace {

using ::testing::_;
using ::testing::Field;
using ::testing::HasSubstr;
using testing::MakeEvent;
using testing::MockSubscriber;
using testing::MockWorkflowResolver;
using ::testing::Return;
using testing::VectorEventSource;

struct Captured {
  std::vector<Message> messages;
};

std::unique_ptr<Subscriber> Recorder(Captured& captured) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillRepeatedly([&](const Message& m, std::stop_token) {
    captured.messages.push_back(m);
    return DeliveryResult::Delivered();
  });
  return subscriber;
}

std::vector<Subscription> OneSubscription(std::unique_ptr<Subscriber> subscriber) {
  std::vector<Subscription> out;
  out.push_back({"recorder", std::move(subscriber), MakeKfpFormatter(), {}});
  return out;
}

TEST(PipelineTest, ResolvesEachEventsWorkflowAndDeliversItsMessage) {
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.uid = "wf-uid";
  workflow.labels[kRunIdLabel] = "run-9";
  workflow.started_at = "2026-11-23T07:00:00Z";
  auto resolver = std::make_unique<MockWorkflowResolver>();
  EXPECT_CALL(*resolver, Resolve(Field(&WorkflowRef::name, "wf"), _))
      .WillOnce(Return(Result<SharedWorkflowInfo>(testing::Shared(workflow))));
  Captured captured;
  Pipeline pipeline(std::make_unique<VectorEventSource>(std::vector<WorkflowEvent>{
                        MakeEvent("wf", "WorkflowSucceeded", "Workflow completed")}),
                    std::move(resolver), OneSubscription(Recorder(captured)));
  Result<RunSummary> summary = pipeline.Run({});
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->events, 1u);
  EXPECT_TRUE(summary->AllDelivered());
  ASSERT_EQ(captured.messages.size(), 1u);
  EXPECT_EQ(
      captured.messages[0].body,
      R"({"KfpRunId":"run-9","WorkflowName":"wf","NodeName":"","EventType":"WorkflowSucceeded","Message":"Workflow completed"})");
  EXPECT_EQ(captured.messages[0].id, MessageIdForKey("wf-uid//WorkflowSucceeded/1795417200"));
}

TEST(PipelineTest, AnUnresolvableWorkflowIsStillNotifiedWithAWarning) {
  auto resolver = std::make_unique<MockWorkflowResolver>();
  EXPECT_CALL(*resolver, Resolve(_, _)).WillOnce(Return(Status::NotFound("gone")));
  auto logger = std::make_shared<testing::CapturingLogger>();
  Captured captured;
  Pipeline pipeline(std::make_unique<VectorEventSource>(
                        std::vector<WorkflowEvent>{MakeEvent("wf", "WorkflowFailed", "oops")}),
                    std::move(resolver), OneSubscription(Recorder(captured)), {{}, logger});
  Result<RunSummary> summary = pipeline.Run({});
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->unresolved, 1u);
  ASSERT_EQ(captured.messages.size(), 1u);
  EXPECT_THAT(captured.messages[0].body, HasSubstr(R"("KfpRunId":"","WorkflowName":"wf")"));
  EXPECT_THAT(logger->All(), HasSubstr("workflow kubeflow/wf not resolved (not found: gone)"));
}

// KFP 2.17 deletes a finished run's Workflow after an hour: an Event that arrives later (or is
// taken in by the next process) still names the run, from what the state store kept.
TEST(PipelineTest, AWorkflowGoneAfterItWasSeenKeepsItsRunIdFromTheStateStore) {
  WorkflowInfo workflow;
  workflow.namespace_name = "kubeflow";
  workflow.name = "wf";
  workflow.uid = "wf-uid";
  workflow.labels[kRunIdLabel] = "run-9";
  const std::shared_ptr<StateStore> store = MakeMemoryStateStore(std::chrono::milliseconds(0));
  auto logger = std::make_shared<testing::CapturingLogger>();
  Captured captured;
  for (const auto& [reason, found] :
       {std::pair{"WorkflowRunning", true}, std::pair{"WorkflowSucceeded", false}}) {
    auto resolver = std::make_unique<MockWorkflowResolver>();
    EXPECT_CALL(*resolver, Resolve(_, _))
        .WillOnce(Return(found ? Result<SharedWorkflowInfo>(testing::Shared(workflow))
                               : Status::NotFound("gone")));
    PipelineOptions options;
    options.logger = logger;
    options.store = store;  // one store, as a restart with --state-dir has
    Pipeline pipeline(
        std::make_unique<VectorEventSource>(std::vector<WorkflowEvent>{MakeEvent("wf", reason)}),
        std::move(resolver), OneSubscription(Recorder(captured)), options);
    ASSERT_TRUE(pipeline.Run({}));
  }
  ASSERT_EQ(captured.messages.size(), 2u);
  EXPECT_THAT(captured.messages[1].body,
              HasSubstr(R"({"KfpRunId":"run-9","WorkflowName":"wf","NodeName":"",)"
                        R"("EventType":"WorkflowSucceeded")"));
  EXPECT_THAT(logger->All(), HasSubstr("workflow kubeflow/wf not resolved (not found: gone); "
                                       "notifying from the event alone and the run id the state "
                                       "store kept, KfpRunId \"run-9\""));
}

// Kubernetes updates a combined Event in place: with the newest message it reports another node's
// transition; with the same message and a higher count, the same one again.
TEST(PipelineTest, ACombinedEventsNewMessageIsNewsAndItsExactRepeatIsNot) {
  const auto combined = [](const std::string& node, std::int64_t count) {
    WorkflowEvent event = MakeEvent("wf", "WorkflowNodeSucceeded", "Succeeded node wf." + node);
    event.count = count;
    return event;
  };
  Captured captured;
  Pipeline pipeline(std::make_unique<VectorEventSource>(std::vector<WorkflowEvent>{
                        combined("a", 1), combined("b", 2), combined("b", 3)}),
                    nullptr, OneSubscription(Recorder(captured)));
  Result<RunSummary> summary = pipeline.Run({});
  ASSERT_TRUE(summary);
  ASSERT_EQ(captured.messages.size(), 2u);
  EXPECT_THAT(captured.messages[0].body, HasSubstr(R"("NodeName":"a")"));
  EXPECT_THAT(captured.messages[1].body, HasSubstr(R"("NodeName":"b")"));
  EXPECT_EQ(summary->duplicates, 1u);
}

TEST(PipelineTest, ASourceErrorEndsTheRunWithThatError) {
  auto source = std::make_unique<testing::MockEventSource>();
  EXPECT_CALL(*source, Next(_)).WillOnce(Return(Status::Permanent("credentials refused")));
  Captured captured;
  Pipeline pipeline(std::move(source), nullptr, OneSubscription(Recorder(captured)));
  Result<RunSummary> summary = pipeline.Run({});
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().message(), "credentials refused");
}

TEST(PipelineTest, UndeliveredMessagesMakeTheSummaryFail) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce(Return(DeliveryResult{DeliveryOutcome::kPermanent, "HTTP 404", 404, {}}));
  Pipeline pipeline(std::make_unique<VectorEventSource>(
                        std::vector<WorkflowEvent>{MakeEvent("wf", "WorkflowRunning")}),
                    nullptr, OneSubscription(std::move(subscriber)));
  Result<RunSummary> summary = pipeline.Run({});
  ASSERT_TRUE(summary);
  EXPECT_FALSE(summary->AllDelivered());
  EXPECT_EQ(summary->subscribers.at(0).failed, 1u);
  EXPECT_EQ(summary->subscribers.at(0).last_error, "HTTP 404");
}

TEST(PipelineTest, RefusesASubscriptionWithoutAFormatterAndRunsOnlyOnce) {
  std::vector<Subscription> subscriptions;
  subscriptions.push_back({"broken", std::make_unique<MockSubscriber>(), nullptr, {}});
  Pipeline broken(std::make_unique<VectorEventSource>(std::vector<WorkflowEvent>{}), nullptr,
                  std::move(subscriptions));
  EXPECT_EQ(broken.Run({}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(broken.Run({}).error().message(), HasSubstr("only once"));
}

}  // namespace
}  // namespace kfpevents
