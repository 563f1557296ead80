#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents {
namespace {

using ::testing::Contains;
using ::testing::Pair;
using ::testing::StartsWith;

Notification NodeFailed() {
  Notification notification;
  notification.event =
      testing::MakeEvent("wf", "WorkflowNodeFailed", "Failed node wf.train: Error (exit code 1)");
  notification.event.annotations[kNodeNameAnnotation] = "wf.train";
  notification.event.annotations[kNodeIdAnnotation] = "wf-42";
  notification.event.last_timestamp = "2026-11-23T07:01:15Z";
  notification.event.first_timestamp = "2026-11-23T07:01:10Z";
  notification.event.count = 2;
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.namespace_name = "kubeflow";
  workflow.uid = "wf-uid";
  workflow.phase = "Running";
  workflow.labels[kRunIdLabel] = "run-1";
  workflow.annotations[kPipelineSpecAnnotation] = R"({"name": "fraud <detector>"})";
  workflow.parameters = {{"lr", "0.01"}, {"path", "s3://x"}};
  workflow.nodes.push_back({"wf-42", "wf.train", "train", "Pod", "", "Failed", "", "", ""});
  notification.workflow = testing::Shared(workflow);
  notification.key = "key-1";
  return notification;
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  EXPECT_FALSE(document.HasParseError()) << json;
  return document;
}

TEST(KfpExtendedFormatterTest, StartsWithTheKfpKeysAndAddsTheRest) {
  const Notification notification = NodeFailed();
  const std::string kfp = MakeKfpFormatter()->Format(notification)->body;
  const Result<Message> extended = MakeKfpExtendedFormatter()->Format(notification);
  ASSERT_TRUE(extended);
  EXPECT_THAT(extended->body, StartsWith(kfp.substr(0, kfp.size() - 1) + ","));
  EXPECT_EQ(extended->id, MessageIdForKey("key-1"));
  const rapidjson::Document body = Parse(extended->body);
  EXPECT_EQ(std::string(body["MessageId"].GetString()), MessageIdForKey("key-1"));
  EXPECT_STREQ(body["Namespace"].GetString(), "kubeflow");
  EXPECT_STREQ(body["WorkflowUid"].GetString(), "wf-uid");
  EXPECT_STREQ(body["PipelineName"].GetString(), "fraud <detector>");
  EXPECT_THAT(extended->body,
              ::testing::HasSubstr(R"("fraud \u003cdetector\u003e")"));  // Go escapes
  EXPECT_STREQ(body["WorkflowPhase"].GetString(), "Running");
  EXPECT_STREQ(body["NodeId"].GetString(), "wf-42");
  EXPECT_STREQ(body["NodePhase"].GetString(), "Failed");
  EXPECT_STREQ(body["EventTime"].GetString(), "2026-11-23T07:01:15Z");
  EXPECT_EQ(body["Count"].GetInt(), 2);
  EXPECT_STREQ(body["Parameters"]["path"].GetString(), "s3://x");
}

TEST(KfpExtendedFormatterTest, AnUnresolvedWorkflowLeavesItsFieldsEmpty) {
  Notification notification = NodeFailed();
  notification.workflow.reset();
  const rapidjson::Document body = Parse(MakeKfpExtendedFormatter()->Format(notification)->body);
  EXPECT_STREQ(body["KfpRunId"].GetString(), "");
  EXPECT_STREQ(body["PipelineName"].GetString(), "");
  EXPECT_STREQ(body["NodePhase"].GetString(), "Failed");  // from the event's reason
  EXPECT_STREQ(body["NodeId"].GetString(), "wf-42");      // from the annotation
  EXPECT_TRUE(body["Parameters"].IsObject());
  EXPECT_EQ(body["Parameters"].MemberCount(), 0u);
}

TEST(CloudEventsFormatterTest, StructuredModeCarriesTheRequiredAttributesAndTheData) {
  const Notification notification = NodeFailed();
  const Result<Message> message =
      MakeCloudEventsFormatter(CloudEventsMode::kStructured)->Format(notification);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->content_type, "application/cloudevents+json");
  const rapidjson::Document event = Parse(message->body);
  EXPECT_STREQ(event["specversion"].GetString(), "1.0");
  EXPECT_EQ(std::string(event["id"].GetString()), message->id);
  EXPECT_STREQ(event["source"].GetString(),
               "/apis/argoproj.io/v1alpha1/namespaces/kubeflow/workflows/wf");
  EXPECT_STREQ(event["type"].GetString(), "io.kubeflow.pipelines.WorkflowNodeFailed");
  EXPECT_STREQ(event["subject"].GetString(), "wf.train");
  EXPECT_STREQ(event["time"].GetString(), "2026-11-23T07:01:15Z");
  EXPECT_STREQ(event["datacontenttype"].GetString(), "application/json");
  const std::string extended = MakeKfpExtendedFormatter()->Format(notification)->body;
  EXPECT_EQ(Parse(extended), event["data"]);
}

TEST(CloudEventsFormatterTest, BinaryModePutsAttributesInHeadersAndDataInTheBody) {
  Notification notification = NodeFailed();
  notification.event.reason = "WorkflowSucceeded";  // a workflow-level event
  notification.event.annotations.clear();
  notification.event.last_timestamp.clear();
  const Result<Message> message =
      MakeCloudEventsFormatter(CloudEventsMode::kBinary)->Format(notification);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->content_type, "application/json");
  EXPECT_EQ(message->body, MakeKfpExtendedFormatter()->Format(notification)->body);
  EXPECT_THAT(message->headers, Contains(Pair("ce-specversion", "1.0")));
  EXPECT_THAT(message->headers, Contains(Pair("ce-id", message->id)));
  EXPECT_THAT(message->headers,
              Contains(Pair("ce-type", "io.kubeflow.pipelines.WorkflowSucceeded")));
  EXPECT_THAT(message->headers, Contains(Pair("ce-subject", "wf")));
  for (const auto& [name, value] : message->headers) EXPECT_NE(name, "ce-time");  // none known
}

TEST(CloudEventsFormatterTest, BinaryHeaderValuesArePercentEncoded) {
  Notification notification = NodeFailed();
  notification.event.annotations[kNodeNameAnnotation] = "wf.step(0:\"a b\")%\xc3\xa9";
  const Result<Message> message =
      MakeCloudEventsFormatter(CloudEventsMode::kBinary)->Format(notification);
  EXPECT_THAT(message->headers, Contains(Pair("ce-subject", "wf.step(0:%22a%20b%22)%25%C3%A9")));
}

TEST(PipelineNameTest, ReadsThePipelineSpecAnnotation) {
  WorkflowInfo workflow;
  EXPECT_EQ(PipelineName(&workflow), "");
  workflow.annotations[kPipelineSpecAnnotation] = "{not json";
  EXPECT_EQ(PipelineName(&workflow), "");
  workflow.annotations[kPipelineSpecAnnotation] = R"({"name":"tacos"})";
  EXPECT_EQ(PipelineName(&workflow), "tacos");
  EXPECT_EQ(PipelineName(nullptr), "");
}

}  // namespace
}  // namespace kfpevents
