// Templated messages: the built-in slack and teams formats for a failed and a succeeded run and
// for hostile strings, user templates, and the errors a template can have.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"
#include "unit/format/run_ended.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::kOptions;
using testing::RunEnded;

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  EXPECT_FALSE(document.HasParseError()) << json;
  return document;
}

std::string Format(const std::string& format, const Notification& notification,
                   const TemplateOptions& options = kOptions) {
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeFormatter(format, options);
  EXPECT_TRUE(formatter) << formatter.error().ToString();
  Result<Message> message = (*formatter)->Format(notification);
  EXPECT_TRUE(message) << message.error().ToString();
  EXPECT_EQ(message->id, MessageIdForKey("run-key"));
  EXPECT_EQ(message->content_type, "application/json");
  return message ? message->body : "";
}

TEST(SlackFormatTest, AFailedRunNamesTheTaskItsReasonAndLinksTheRun) {
  const rapidjson::Document slack = Parse(Format("slack", RunEnded(true)));
  EXPECT_STREQ(slack["text"].GetString(), ":x: churn: nightly churn Failed");
  const rapidjson::Value& attachment = slack["attachments"][0];
  EXPECT_STREQ(attachment["color"].GetString(), "#a30200");
  const rapidjson::Value& blocks = attachment["blocks"];
  ASSERT_EQ(blocks.Size(), 4u);
  EXPECT_STREQ(blocks[0]["text"]["text"].GetString(),
               "*nightly churn* Failed after 1h 12m 3s\nPipeline *churn* · Namespace `team-a`");
  EXPECT_STREQ(blocks[1]["text"]["text"].GetString(),
               "*Failed:*\n• *train*: OOMKilled (exit code 137)");
  EXPECT_STREQ(blocks[2]["elements"][0]["url"].GetString(),
               "https://kubeflow.example.com/pipeline/#/runs/details/run-7");
  EXPECT_STREQ(blocks[3]["elements"][0]["text"].GetString(),
               "WorkflowFailed · run run-7 · 2026-11-26T07:12:03Z");
}

TEST(SlackFormatTest, ASucceededRunWithoutALinkIsGreenAndShort) {
  const rapidjson::Document slack = Parse(Format("slack", RunEnded(false), {}));
  EXPECT_STREQ(slack["text"].GetString(), ":white_check_mark: churn: nightly churn Succeeded");
  EXPECT_STREQ(slack["attachments"][0]["color"].GetString(), "#2eb886");
  EXPECT_EQ(slack["attachments"][0]["blocks"].Size(), 2u);  // no failures, no button
}

TEST(TeamsFormatTest, AnAdaptiveCardWithTheOutcomeFailuresFactsAndALink) {
  const rapidjson::Document teams = Parse(Format("teams", RunEnded(true)));
  EXPECT_STREQ(teams["type"].GetString(), "message");
  const rapidjson::Value& attachment = teams["attachments"][0];
  EXPECT_STREQ(attachment["contentType"].GetString(), "application/vnd.microsoft.card.adaptive");
  const rapidjson::Value& card = attachment["content"];
  EXPECT_STREQ(card["type"].GetString(), "AdaptiveCard");
  EXPECT_STREQ(card["version"].GetString(), "1.4");
  EXPECT_STREQ(card["body"][0]["text"].GetString(), "nightly churn Failed");
  EXPECT_STREQ(card["body"][0]["color"].GetString(), "Attention");
  EXPECT_STREQ(card["body"][1]["items"][1]["text"].GetString(),
               "train: OOMKilled (exit code 137)");
  const rapidjson::Value& facts = card["body"][2]["facts"];
  ASSERT_EQ(facts.Size(), 5u);  // pipeline, duration, two parameters, namespace
  EXPECT_STREQ(facts[2]["title"].GetString(), "epochs");
  EXPECT_STREQ(facts[2]["value"].GetString(), "3");
  EXPECT_STREQ(card["actions"][0]["url"].GetString(),
               "https://kubeflow.example.com/pipeline/#/runs/details/run-7");
  const rapidjson::Document succeeded = Parse(Format("teams", RunEnded(false), {}));
  EXPECT_STREQ(succeeded["attachments"][0]["content"]["body"][0]["color"].GetString(), "Good");
  EXPECT_EQ(succeeded["attachments"][0]["content"]["actions"].Size(), 0u);
}

// Quotes, line breaks, markup and mentions in names, reasons and parameters stay text: the body
// is still JSON with the same structure, and Slack sees no link or @channel.
TEST(TemplatedFormatsTest, HostileStringsStayText) {
  const std::string& hostile = testing::kHostile;
  const Notification notification = testing::HostileRunEnded();
  const rapidjson::Document teams = Parse(Format("teams", notification));
  EXPECT_EQ(std::string(teams["attachments"][0]["content"]["body"][0]["text"].GetString()),
            hostile + " Failed");
  EXPECT_EQ(teams["attachments"][0]["content"]["body"].Size(), 3u);
  const std::string slack_body = Format("slack", notification);
  const rapidjson::Document slack = Parse(slack_body);
  const std::string text = slack["attachments"][0]["blocks"][1]["text"]["text"].GetString();
  EXPECT_THAT(text, HasSubstr("&lt;!channel&gt;"));
  EXPECT_THAT(text, Not(HasSubstr("<!channel>")));
  EXPECT_EQ(slack["attachments"][0]["blocks"].Size(), 4u);
  const std::string long_name(100000, 'x');
  EXPECT_TRUE(Parse(Format("slack", RunEnded(true, long_name))).IsObject());
}

TEST(TemplateFormatterTest, RendersAUserTemplateWithFieldsAndRunSummary) {
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeTemplateFormatter(
      R"({"cluster": "{{fields.cluster}}", "run": "{{run_id}}", "outcome": "{{outcome}}",)"
      "\n"
      R"( "failed": [{{#failed_tasks}}"{{name}}"{{/failed_tasks}}], "url": "{{run_url}}"})",
      "", kOptions);
  ASSERT_TRUE(formatter) << formatter.error().ToString();
  const rapidjson::Document body = Parse((*formatter)->Format(RunEnded(true))->body);
  EXPECT_STREQ(body["cluster"].GetString(), "prod-westeurope");
  EXPECT_STREQ(body["outcome"].GetString(), "Failed");
  EXPECT_STREQ(body["failed"][0].GetString(), "train");
  // Plain text: no JSON rules.
  Result<std::unique_ptr<MessageFormatter>> text =
      MakeTemplateFormatter("{{title}} {{outcome}}: {{{message}}}", "text/plain", kOptions);
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_EQ((*text)->Format(RunEnded(true))->body, "nightly churn Failed: child 'train' failed");
}

TEST(TemplateFormatterTest, ErrorsNameTheLineAndWhatIsWrong) {
  const auto error = [](const std::string& text, const std::string& type = "") {
    Result<std::unique_ptr<MessageFormatter>> made = MakeTemplateFormatter(text, type, kOptions);
    return made ? std::string("made") : made.error().message();
  };
  EXPECT_THAT(error("{\n  \"a\": \"{{#failed_tasks}}{{name}}\"\n}"),
              HasSubstr("line 2, column 9: Unclosed section \"failed_tasks\""));
  EXPECT_THAT(error("{\"a\": \"{{runid}}\"}"),
              HasSubstr("line 1, column 8: unknown field \"runid\""));
  EXPECT_THAT(error("{\"a\": \"{{fields.region}}\"}"), HasSubstr("no field \"region\""));
  EXPECT_THAT(error("{\"a\": {{{message}}}}"), HasSubstr("unescaped into a JSON body"));
  EXPECT_THAT(error("{{> partial}}"), HasSubstr("partials"));
  // Renders, but not to JSON: that message fails, with the reason.
  Result<std::unique_ptr<MessageFormatter>> broken =
      MakeTemplateFormatter("{\"a\": {{run_id}}}", "", kOptions);
  ASSERT_TRUE(broken);
  Result<Message> message = (*broken)->Format(RunEnded(true));
  ASSERT_FALSE(message);
  EXPECT_THAT(message.error().message(), HasSubstr("made a body that is not JSON"));
}

// PagerDuty: a failure triggers and a success resolves the same incident (the pipeline's
// dedup_key), so a redelivery or a second failure never pages twice.
TEST(PagerDutyFormatTest, TriggersOnFailureAndResolvesOnSuccessUnderOneKey) {
  TemplateOptions options = kOptions;
  options.fields.emplace_back("routing_key", "R0UTING-KEY");
  const rapidjson::Document trigger = Parse(Format("pagerduty", RunEnded(true), options));
  EXPECT_STREQ(trigger["routing_key"].GetString(), "R0UTING-KEY");
  EXPECT_STREQ(trigger["event_action"].GetString(), "trigger");
  EXPECT_STREQ(trigger["dedup_key"].GetString(), "kfp-eventd/team-a/churn");
  EXPECT_STREQ(trigger["payload"]["summary"].GetString(),
               "nightly churn Failed (pipeline churn): train: OOMKilled (exit code 137)");
  EXPECT_STREQ(trigger["payload"]["severity"].GetString(), "error");
  EXPECT_STREQ(trigger["links"][0]["href"].GetString(),
               "https://kubeflow.example.com/pipeline/#/runs/details/run-7");
  const rapidjson::Document resolve = Parse(Format("pagerduty", RunEnded(false), options));
  EXPECT_STREQ(resolve["event_action"].GetString(), "resolve");
  EXPECT_STREQ(resolve["dedup_key"].GetString(), trigger["dedup_key"].GetString());
  Result<std::unique_ptr<MessageFormatter>> keyless = MakeFormatter("pagerduty", kOptions);
  ASSERT_FALSE(keyless);
  EXPECT_THAT(keyless.error().message(), HasSubstr("fieldFiles: {routing_key:"));
}

TEST(TemplateFormatterTest, HeaderValuesAreTemplatesToo) {
  TemplateOptions options = kOptions;
  options.header_templates = {{"X-Run-Id", "{{run_id}}"}, {"X-Title", "{{title}} ({{outcome}})"}};
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeFormatter("slack", options);
  ASSERT_TRUE(formatter) << formatter.error().ToString();
  const Result<Message> message = (*formatter)->Format(RunEnded(true, "a\r\nX-Injected: 1"));
  ASSERT_TRUE(message);
  EXPECT_THAT(message->headers,
              ::testing::ElementsAre(::testing::Pair("X-Run-Id", "run-7"),
                                     ::testing::Pair("X-Title", "a  X-Injected: 1 (Failed)")));
  options.header_templates = {{"X-Run", "{{runid}}"}};
  Result<std::unique_ptr<MessageFormatter>> unknown = MakeFormatter("teams", options);
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message(), HasSubstr("header X-Run: line 1, column 1: unknown field"));
}

// A KFP 1.x run has no tasks: its failed steps are its failed Pods, named as the UI shows them.
TEST(SlackFormatTest, AKfp1RunNamesItsFailedPod) {
  Notification notification = RunEnded(true);
  WorkflowInfo& workflow = testing::EditWorkflow(notification);
  workflow.kfp_v2 = false;
  workflow.generate_name.clear();
  workflow.annotations[kPipelineSpecAnnotation] = R"({"name": "churn-v1"})";
  workflow.nodes.clear();
  NodeSummary dag;  // the DAG above the step: not a step itself
  dag.name = "churn-x7k2p";
  dag.type = "DAG";
  dag.phase = "Failed";
  workflow.nodes.push_back(dag);
  NodeSummary pod;
  pod.name = "churn-x7k2p.train";
  pod.display_name = "train";
  pod.type = "Pod";
  pod.phase = "Failed";
  pod.message = "Error (exit code 1)";
  workflow.nodes.push_back(pod);
  const rapidjson::Document slack = Parse(Format("slack", notification));
  EXPECT_STREQ(slack["text"].GetString(), ":x: churn-v1: nightly churn Failed");
  EXPECT_STREQ(slack["attachments"][0]["blocks"][1]["text"]["text"].GetString(),
               "*Failed:*\n• *train*: Error (exit code 1)");
}

}  // namespace
}  // namespace kfpevents
