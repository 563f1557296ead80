#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents {
namespace {

Notification DesignExample() {
  Notification notification;
  notification.event = testing::MakeEvent("tacos-vs-burritos-vw8g9", "WorkflowNodeSucceeded",
                                          "Succeeded node tacos-vs-burritos-vw8g9.dataprocessing");
  notification.event.annotations[kNodeNameAnnotation] = "tacos-vs-burritos-vw8g9.dataprocessing";
  WorkflowInfo workflow;
  workflow.name = "tacos-vs-burritos-vw8g9";
  workflow.namespace_name = "kubeflow";
  workflow.labels[kRunIdLabel] = "ee1c3f1f-031b-49e9-a7ff-2f7a54c11b95";
  workflow.nodes.push_back({"tacos-vs-burritos-vw8g9-3921840126",
                            "tacos-vs-burritos-vw8g9.dataprocessing", "dataprocessing", "Pod", "",
                            "Succeeded", "", "", ""});
  notification.workflow = testing::Shared(workflow);
  notification.key = "some-key";
  return notification;
}

TEST(KfpFormatterTest, MatchesTheOriginalPayloadByteForByte) {
  Result<Message> message = MakeKfpFormatter()->Format(DesignExample());
  ASSERT_TRUE(message);
  EXPECT_EQ(
      message->body,
      R"({"KfpRunId":"ee1c3f1f-031b-49e9-a7ff-2f7a54c11b95","WorkflowName":"tacos-vs-burritos-vw8g9","NodeName":"dataprocessing","EventType":"WorkflowNodeSucceeded","Message":"Succeeded node tacos-vs-burritos-vw8g9.dataprocessing"})");
  EXPECT_EQ(message->content_type, "application/json");
  EXPECT_EQ(message->id, MessageIdForKey("some-key"));
}

TEST(KfpFormatterTest, WorkflowLevelEventsHaveAnEmptyNodeName) {
  Notification notification = DesignExample();
  notification.event =
      testing::MakeEvent("tacos-vs-burritos-vw8g9", "WorkflowSucceeded", "Workflow completed");
  EXPECT_EQ(
      MakeKfpFormatter()->Format(notification)->body,
      R"({"KfpRunId":"ee1c3f1f-031b-49e9-a7ff-2f7a54c11b95","WorkflowName":"tacos-vs-burritos-vw8g9","NodeName":"","EventType":"WorkflowSucceeded","Message":"Workflow completed"})");
}

TEST(KfpFormatterTest, AnUnresolvedWorkflowStillGivesAPayloadWithAnEmptyRunId) {
  Notification notification = DesignExample();
  notification.workflow.reset();
  EXPECT_EQ(
      MakeKfpFormatter()->Format(notification)->body,
      R"({"KfpRunId":"","WorkflowName":"tacos-vs-burritos-vw8g9","NodeName":"dataprocessing","EventType":"WorkflowNodeSucceeded","Message":"Succeeded node tacos-vs-burritos-vw8g9.dataprocessing"})");
}

TEST(KfpFormatterTest, HostileStringsStillGiveValidJsonWithTheFiveKeysInOrder) {
  Notification notification = DesignExample();
  notification.event.message = "Failed: \"quoted\"\n<tag> & \x01 \xff\xfe end\\";
  notification.event.reason = "WorkflowNodeFailed";
  const std::string body = MakeKfpFormatter()->Format(notification)->body;
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(body.c_str(), body.size());
  ASSERT_FALSE(document.HasParseError()) << body;
  const char* expected_keys[] = {"KfpRunId", "WorkflowName", "NodeName", "EventType", "Message"};
  std::size_t i = 0;
  for (const auto& member : document.GetObject()) {
    ASSERT_LT(i, 5u);
    EXPECT_STREQ(member.name.GetString(), expected_keys[i++]);
  }
  EXPECT_EQ(i, 5u);
  EXPECT_EQ(std::string(document["Message"].GetString()),
            "Failed: \"quoted\"\n<tag> & \x01 \xef\xbf\xbd\xef\xbf\xbd end\\");
  EXPECT_NE(body.find(R"(\"quoted\"\n\u003ctag\u003e \u0026 \u0001 \ufffd\ufffd end\\)"),
            std::string::npos)
      << body;
}

TEST(FormatterRegistryTest, MakesEveryBuiltinAndNamesTheKnownOnesOtherwise) {
  const TemplateOptions keyed{"", {{"routing_key", "k"}}};  // pagerduty needs one
  for (const std::string& name : BuiltinFormatNames()) {
    EXPECT_TRUE(MakeFormatter(name, keyed)) << name;
  }
  Result<std::unique_ptr<MessageFormatter>> unknown = MakeFormatter("xml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(),
            "unknown format \"xml\" (known: kfp, kfp-extended, cloudevents, cloudevents-binary, "
            "slack, teams, pagerduty)");
}

}  // namespace
}  // namespace kfpevents
