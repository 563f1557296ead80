// type kfp-run below the daemon: the run a notification starts, and starting it exactly once
// against the fake KFP API (a redelivery, a lost answer, a rotated token, what is retried and
// what is a dead letter).
#include "trigger/kfp_run.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "kfpevents/config.hpp"
#include "support/edit_workflow.hpp"
#include "support/fake_kfp_api.hpp"
#include "support/temp_dir.hpp"
#include "unit/format/run_ended.hpp"

namespace kfpevents {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::FakeKfpApi;

trigger::RunToStart Evaluate() {
  trigger::RunToStart run;
  run.version.pipeline_name = "evaluate";
  run.experiment = "chained";
  run.parameters = {{"model_run", "{{run_id}}"}, {"dataset", "{{params.dataset}}"},
                    {"epochs", "{{params.epochs}}"}};
  return run;
}

Message MessageFor(const Notification& notification, trigger::RunToStart run = Evaluate()) {
  Result<std::unique_ptr<MessageFormatter>> formatter =
      trigger::MakeRunFormatter(std::move(run), testing::kOptions);
  EXPECT_TRUE(formatter) << formatter.error().ToString();
  Result<Message> message = (*formatter)->Format(notification);
  EXPECT_TRUE(message) << message.error().ToString();
  return message ? *message : Message{};
}

TEST(RunFormatterTest, TheRunIsNamedAndParameterizedFromTheTriggeringRun) {
  const Message message = MessageFor(testing::RunEnded(false));
  rapidjson::Document body;
  body.Parse(message.body.c_str());
  ASSERT_TRUE(body.IsObject()) << message.body;
  EXPECT_STREQ(body["name"].GetString(), "evaluate after nightly churn");
  EXPECT_EQ(std::string(body["description"].GetString()),
            "Started by kfp-eventd on WorkflowSucceeded of run run-7, workflow "
            "kubeflow/churn-x7k2p; trigger " + message.id);
  ASSERT_EQ(body["parameters"].Size(), 3u);
  EXPECT_STREQ(body["parameters"][0][1].GetString(), "run-7");
  EXPECT_STREQ(body["parameters"][1][1].GetString(), "s3://data/latest");
  EXPECT_STREQ(body["parameters"][2][1].GetString(), "3");
}

TEST(RunFormatterTest, ARunOfThePipelineItStartsNeverTriggersIt) {
  trigger::RunToStart run = Evaluate();
  run.version.pipeline_name = "churn";  // the triggering run's own pipeline
  Result<std::unique_ptr<MessageFormatter>> formatter =
      trigger::MakeRunFormatter(run, testing::kOptions);
  ASSERT_TRUE(formatter);
  Result<Message> message = (*formatter)->Format(testing::RunEnded(false));
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code(), ErrorCode::kNotFound);  // filtered, not an error
}

TEST(RunFormatterTest, TemplateMistakesAreRefusedWithWhere) {
  trigger::RunToStart run = Evaluate();
  run.parameters.emplace_back("bad", "{{runid}}");
  Result<std::unique_ptr<MessageFormatter>> formatter =
      trigger::MakeRunFormatter(run, testing::kOptions);
  ASSERT_FALSE(formatter);
  EXPECT_THAT(formatter.error().message(), HasSubstr("run.parameters.bad: line 1, column 1"));
}

TEST(RunConfigTest, RunTakesThePipelineExperimentNameAndParameters) {
  Result<Config> good = ParseConfig("subscribers:\n"
                                    "  - name: evaluate-after-train\n"
                                    "    type: kfp-run\n"
                                    "    url: http://ml-pipeline.kubeflow:8888\n"
                                    "    events: [WorkflowSucceeded]\n"
                                    "    pipelines: [train]\n"
                                    "    run:\n"
                                    "      pipeline: evaluate\n"
                                    "      version: v3\n"
                                    "      experiment: chained\n"
                                    "      parameters: {model: \"{{run_id}}\"}\n",
                                    "chain.yaml");
  ASSERT_TRUE(good) << good.error().ToString();
  const SubscriberConfig& trigger = good->subscribers[0];
  EXPECT_EQ(trigger.type, SubscriberType::kKfpRun);
  EXPECT_THAT(trigger.pipelines, ElementsAre("train"));
  EXPECT_EQ(trigger.run.pipeline, "evaluate");
  EXPECT_EQ(trigger.run.version, "v3");
  EXPECT_THAT(trigger.run.parameters, ElementsAre(std::pair<std::string, std::string>(
                                          "model", "{{run_id}}")));

  Result<Config> bad = ParseConfig("subscribers:\n"
                                   "  - name: a\n"
                                   "    type: kfp-run\n"
                                   "    url: http://kfp\n"
                                   "    format: slack\n"
                                   "    run: {pipeline: x, pipelineId: y, colour: red}\n"
                                   "  - name: b\n"
                                   "    type: kfp-run\n"
                                   "  - name: c\n"
                                   "    url: http://hook\n"
                                   "    run: {pipeline: x, experiment: e}\n",
                                   "chain.yaml");
  ASSERT_FALSE(bad);
  const std::string problems = bad.error().message();
  EXPECT_THAT(problems, HasSubstr("subscribers[0].format: not used by type kfp-run"));
  EXPECT_THAT(problems, HasSubstr("subscribers[0].run.colour: unknown key"));
  EXPECT_THAT(problems, HasSubstr("subscribers[0].run.pipelineId: give `pipeline` or"));
  EXPECT_THAT(problems, HasSubstr("subscribers[0].run: missing `experiment`"));
  EXPECT_THAT(problems, HasSubstr("subscribers[1]: missing required key `url` (the KFP API"));
  EXPECT_THAT(problems, HasSubstr("subscribers[1]: missing required key `run`"));
  EXPECT_THAT(problems, HasSubstr("subscribers[2].run: only type kfp-run takes run"));
}

class RunSubscriberTest : public ::testing::Test {
 protected:
  RunSubscriberTest() {
    api_.SpeakKfp2();
    api_.DeclareParameters(
        {{"model_run", "STRING"}, {"dataset", "STRING"}, {"epochs", "NUMBER_INTEGER"}});
    api_.AddPipeline("evaluate");
  }

  std::unique_ptr<Subscriber> Make(trigger::RunToStart run = Evaluate()) {
    KfpClientOptions client;
    client.api = KfpApiVersion::kDetect;
    client.endpoint = api_.Url();
    client.attempts = 2;
    client.token_file = token_file_;
    Result<std::unique_ptr<Subscriber>> made = trigger::MakeRunSubscriber(client, std::move(run));
    EXPECT_TRUE(made) << made.error().ToString();
    return made ? std::move(*made) : nullptr;
  }

  FakeKfpApi api_;
  std::string token_file_;
};

TEST_F(RunSubscriberTest, StartsTheRunWithTypedParametersInItsExperiment) {
  const DeliveryResult result = Make()->Deliver(MessageFor(testing::RunEnded(false)), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.detail;
  EXPECT_THAT(result.detail, HasSubstr("started run r-"));
  ASSERT_THAT(api_.Runs(), SizeIs(1));
  EXPECT_THAT(api_.Runs()[0], ::testing::StartsWith("evaluate after nightly churn@"));
  bool posted = false;
  for (const auto& request : api_.Requests()) {
    if (request.method != "POST" || request.path != "/apis/v2beta1/runs") continue;
    posted = true;
    EXPECT_THAT(request.body, HasSubstr("\"epochs\":3"));  // typed as the pipeline declares
    EXPECT_THAT(request.body, HasSubstr("\"model_run\":\"run-7\""));
  }
  EXPECT_TRUE(posted);
}

// The same notification again (a crash after the start, before the outbox recorded it; a
// redelivery): the run it started is found and adopted, and no second run starts.
TEST_F(RunSubscriberTest, ARedeliveredTriggerAdoptsItsRun) {
  const Message message = MessageFor(testing::RunEnded(false));
  ASSERT_EQ(Make()->Deliver(message, {}).outcome, DeliveryOutcome::kDelivered);
  const DeliveryResult again = Make()->Deliver(message, {});
  EXPECT_EQ(again.outcome, DeliveryOutcome::kDelivered);
  EXPECT_THAT(again.detail, HasSubstr("adopted"));
  EXPECT_THAT(api_.Runs(), SizeIs(1));
  // Another run of the same name, triggered by something else, is not taken for it.
  Notification other = testing::RunEnded(false);
  other.key = "another-key";
  EXPECT_THAT(Make()->Deliver(MessageFor(other), {}).detail, HasSubstr("started run"));
  EXPECT_THAT(api_.Runs(), SizeIs(2));
}

TEST_F(RunSubscriberTest, ALostAnswerStartsOneRun) {
  api_.LoseNextAnswers(1);
  std::unique_ptr<Subscriber> subscriber = Make();
  // The experiment's creation is the first POST: its answer is lost, and it is adopted.
  const DeliveryResult result = subscriber->Deliver(MessageFor(testing::RunEnded(false)), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.detail;
  EXPECT_THAT(api_.Runs(), SizeIs(1));
  EXPECT_THAT(api_.Experiments(), SizeIs(1));
  // Now the run's creation, for a second trigger whose run has the same name: the client cannot
  // tell which of the two runs of that name is the new one; the trigger in the description can.
  api_.LoseNextAnswers(1);
  Notification other = testing::RunEnded(false);
  other.key = "another-key";
  const DeliveryResult second = subscriber->Deliver(MessageFor(other), {});
  EXPECT_EQ(second.outcome, DeliveryOutcome::kDelivered) << second.detail;
  EXPECT_THAT(second.detail, HasSubstr("adopted"));
  EXPECT_THAT(api_.Runs(), SizeIs(2));
}

// A start refused without being acted on (503) while a run of the same name, another trigger's,
// was started moments ago: the client adopts that run as its lost answer, but it is not this
// trigger's. Retried, and the retry starts this trigger's own run.
TEST_F(RunSubscriberTest, AnotherTriggersRunOfTheSameNameIsNeverAdopted) {
  std::unique_ptr<Subscriber> subscriber = Make();
  ASSERT_EQ(subscriber->Deliver(MessageFor(testing::RunEnded(false)), {}).outcome,
            DeliveryOutcome::kDelivered);
  Notification other = testing::RunEnded(false);
  other.key = "another-key";
  const Message message = MessageFor(other);
  api_.DropNextCreates(1);
  const DeliveryResult first = subscriber->Deliver(message, {});
  EXPECT_EQ(first.outcome, DeliveryOutcome::kRetryable) << first.detail;
  EXPECT_THAT(first.detail, HasSubstr("belongs to another trigger"));
  EXPECT_THAT(api_.Runs(), SizeIs(1));
  const DeliveryResult retry = subscriber->Deliver(message, {});
  EXPECT_EQ(retry.outcome, DeliveryOutcome::kDelivered) << retry.detail;
  EXPECT_THAT(retry.detail, HasSubstr("started run"));
  EXPECT_THAT(api_.Runs(), SizeIs(2));
}

TEST_F(RunSubscriberTest, AMissingPipelineOrAMistypedValueIsADeadLetter) {
  trigger::RunToStart missing = Evaluate();
  missing.version.pipeline_name = "no-such-pipeline";
  const DeliveryResult gone = Make(missing)->Deliver(MessageFor(testing::RunEnded(false), missing), {});
  EXPECT_EQ(gone.outcome, DeliveryOutcome::kPermanent);
  EXPECT_THAT(gone.detail, HasSubstr("no-such-pipeline"));
  Notification words = testing::RunEnded(false);
  testing::EditWorkflow(words).parameters[0].value = "three";  // epochs
  const DeliveryResult mistyped = Make()->Deliver(MessageFor(words), {});
  EXPECT_EQ(mistyped.outcome, DeliveryOutcome::kPermanent);
  EXPECT_THAT(mistyped.detail, HasSubstr("epochs"));
  EXPECT_THAT(api_.Runs(), ::testing::IsEmpty());
}

TEST_F(RunSubscriberTest, AnOutageIsRetriedAndStartsNothing) {
  api_.FailNext(503, 20);
  const DeliveryResult result = Make()->Deliver(MessageFor(testing::RunEnded(false)), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable) << result.detail;
  EXPECT_THAT(api_.Runs(), ::testing::IsEmpty());
}

TEST_F(RunSubscriberTest, TheTokenFileIsReadForEachRun) {
  testing::TempDir dir;
  token_file_ = dir.Write("token", "first\n");
  api_.RequireToken("first");
  std::unique_ptr<Subscriber> subscriber = Make();
  ASSERT_EQ(subscriber->Deliver(MessageFor(testing::RunEnded(false)), {}).outcome,
            DeliveryOutcome::kDelivered);
  api_.RequireToken("second");
  std::ofstream(token_file_) << "second\n";  // rotated, as a projected token is
  Notification other = testing::RunEnded(false);
  other.key = "another-key";
  const DeliveryResult result = subscriber->Deliver(MessageFor(other), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered) << result.detail;
  EXPECT_THAT(api_.Runs(), SizeIs(2));
}

}  // namespace
}  // namespace kfpevents
