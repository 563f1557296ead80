#include "argo/decoders.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

#include "kfpevents/argo.hpp"
#include "kfpevents/transition.hpp"
#include "support/node_status.hpp"

namespace kfpevents::argo {
namespace {

rapidjson::Document Parse(const char* text) {
  rapidjson::Document document;
  document.Parse(text);
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

// The PROTOCOLS.md example of a node-succeeded Event.
constexpr const char* kNodeEvent = R"({"kind":"Event","apiVersion":"v1",
 "metadata":{"name":"tacos-vs-burritos-vw8g9.18a7f3c2d1e4b5a6","namespace":"kubeflow",
   "uid":"9d0c1f0e-1","resourceVersion":"48213",
   "annotations":{"workflows.argoproj.io/node-name":"tacos-vs-burritos-vw8g9.dataprocessing",
     "workflows.argoproj.io/node-type":"Pod",
     "workflows.argoproj.io/node-id":"tacos-vs-burritos-vw8g9-3921840126",
     "workflows.argoproj.io/node-start-time":"1763881200000000000"}},
 "involvedObject":{"kind":"Workflow","namespace":"kubeflow","name":"tacos-vs-burritos-vw8g9",
   "uid":"5b1e","apiVersion":"argoproj.io/v1alpha1","resourceVersion":"48190"},
 "reason":"WorkflowNodeSucceeded","message":"Succeeded node tacos-vs-burritos-vw8g9.dataprocessing",
 "source":{"component":"workflow-controller"},
 "firstTimestamp":"2026-11-23T07:00:00Z","lastTimestamp":"2026-11-23T07:00:00Z",
 "count":1,"type":"Normal","eventTime":null,"reportingComponent":"","reportingInstance":""})";

TEST(DecodeEventTest, ReadsEveryFieldTheNotificationUses) {
  Result<WorkflowEvent> event = DecodeEvent(Parse(kNodeEvent));
  ASSERT_TRUE(event) << event.error().ToString();
  EXPECT_EQ(event->name, "tacos-vs-burritos-vw8g9.18a7f3c2d1e4b5a6");
  EXPECT_EQ(event->namespace_name, "kubeflow");
  EXPECT_EQ(event->uid, "9d0c1f0e-1");
  EXPECT_EQ(event->resource_version, "48213");
  EXPECT_EQ(event->reason, "WorkflowNodeSucceeded");
  EXPECT_EQ(event->type, "Normal");
  EXPECT_EQ(event->source_component, "workflow-controller");
  EXPECT_EQ(event->involved_object.kind, "Workflow");
  EXPECT_EQ(event->involved_object.name, "tacos-vs-burritos-vw8g9");
  EXPECT_EQ(event->involved_object.uid, "5b1e");
  EXPECT_EQ(event->annotations.at("workflows.argoproj.io/node-id"),
            "tacos-vs-burritos-vw8g9-3921840126");
  EXPECT_EQ(event->count, 1);
  EXPECT_EQ(event->first_timestamp, "2026-11-23T07:00:00Z");
}

TEST(DecodeEventTest, SeriesCountAndEventTimeFillIn) {
  Result<WorkflowEvent> event = DecodeEvent(Parse(
      R"({"reason":"WorkflowRunning","involvedObject":{"name":"wf"},
          "series":{"count":4},"eventTime":"2026-11-23T07:00:00.000001Z"})"));
  ASSERT_TRUE(event);
  EXPECT_EQ(event->count, 4);
  EXPECT_EQ(event->first_timestamp, "2026-11-23T07:00:00.000001Z");
  EXPECT_EQ(event->last_timestamp, event->first_timestamp);
}

// client-go's aggregation: from the tenth different message of one reason, one Event without
// annotations carries the newest message behind a prefix.
TEST(DecodeEventTest, ACombinedEventReadsAsItsNodesOwnAndIsKeyedAsThatWouldBe) {
  Result<WorkflowEvent> combined = DecodeEvent(Parse(
      R"({"metadata":{"name":"wf.17","uid":"e-9"},"reason":"WorkflowNodeSucceeded",
          "message":"(combined from similar events): Succeeded node wf.root.train: all done",
          "involvedObject":{"kind":"Workflow","name":"wf","uid":"wf-uid"},"count":3})"));
  ASSERT_TRUE(combined);
  EXPECT_EQ(combined->message, "Succeeded node wf.root.train: all done");
  EXPECT_EQ(NodeFullName(*combined), "wf.root.train");
  Result<WorkflowEvent> own = DecodeEvent(Parse(
      R"({"metadata":{"name":"wf.3","uid":"e-3","annotations":{
            "workflows.argoproj.io/node-name":"wf.root.train",
            "workflows.argoproj.io/node-id":"wf-123",
            "workflows.argoproj.io/node-start-time":"1795417210000000000"}},
          "reason":"WorkflowNodeSucceeded","message":"Succeeded node wf.root.train: all done",
          "involvedObject":{"kind":"Workflow","name":"wf","uid":"wf-uid"}})"));
  ASSERT_TRUE(own);
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.uid = "wf-uid";
  workflow.nodes.push_back(
      {"wf-123", "wf.root.train", "train", "DAG", "", "Succeeded", "", "2026-11-23T07:00:10Z"});
  EXPECT_EQ(TransitionKey(*combined, &workflow), TransitionKey(*own, &workflow));
}

TEST(DecodeEventTest, NamesWhatIsMissingAndNeverTrustsTypes) {
  EXPECT_EQ(DecodeEvent(Parse(R"({"involvedObject":{"name":"wf"}})")).error().message(),
            "Event has no reason");
  EXPECT_EQ(DecodeEvent(Parse(R"({"reason":"WorkflowRunning"})")).error().message(),
            "Event has no involvedObject");
  EXPECT_EQ(DecodeEvent(Parse(R"({"reason":"X","involvedObject":{"name":7}})")).error().message(),
            "Event has no involvedObject.name");
  // Wrong types everywhere read as absent instead of asserting.
  Result<WorkflowEvent> odd = DecodeEvent(Parse(
      R"({"reason":"X","involvedObject":{"name":"wf"},"metadata":[],"count":"3",
          "source":"x","message":{"a":1}})"));
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->count, 1);
  EXPECT_EQ(odd->message, "");
  EXPECT_FALSE(DecodeEvent(Parse("[1,2]")));
}

constexpr const char* kWorkflow = R"json({"kind":"Workflow",
    "metadata":{"name":"wf","namespace":"kubeflow","uid":"u1","resourceVersion":"9",
      "labels":{"pipeline/runid":"r1","workflows.argoproj.io/phase":"Running"}},
    "spec":{"arguments":{"parameters":[{"name":"b","value":"2"},{"name":"a","value":"1"},
                                       {"name":"from","valueFrom":{}}]}},
    "status":{"phase":"Running","startedAt":"2026-11-23T07:00:00Z","finishedAt":null,
      "nodes":{"wf-1":{"id":"wf-1","name":"wf.step","displayName":"step","type":"Pod",
                       "templateName":"step-t","phase":"Failed","message":"Error (exit code 1)",
                       "startedAt":"2026-11-23T07:00:05Z","outputs":{"big":"ignored"}},
               "wf-2":"not an object"}}})json";

TEST(SummarizeWorkflowTest, SummarizesMetadataParametersStatusAndNodes) {
  Result<WorkflowInfo> workflow = SummarizeWorkflow(kWorkflow);
  ASSERT_TRUE(workflow) << workflow.error().ToString();
  EXPECT_EQ(workflow->name, "wf");
  EXPECT_EQ(workflow->namespace_name, "kubeflow");
  EXPECT_EQ(workflow->uid, "u1");
  EXPECT_EQ(workflow->resource_version, "9");
  EXPECT_EQ(workflow->labels.at("pipeline/runid"), "r1");
  EXPECT_EQ(workflow->phase, "Running");
  EXPECT_EQ(workflow->started_at, "2026-11-23T07:00:00Z");
  EXPECT_EQ(workflow->finished_at, "");
  ASSERT_EQ(workflow->parameters.size(), 3u);
  EXPECT_EQ(workflow->parameters[0], (Parameter{"b", "2"}));
  EXPECT_EQ(workflow->parameters[2].value, "");
  ASSERT_EQ(workflow->nodes.size(), 1u);
  EXPECT_EQ(workflow->nodes[0].id, "wf-1");
  EXPECT_EQ(workflow->nodes[0].name, "wf.step");
  EXPECT_EQ(workflow->nodes[0].display_name, "step");
  EXPECT_EQ(workflow->nodes[0].type, "Pod");
  EXPECT_EQ(workflow->nodes[0].template_name, "step-t");
  EXPECT_EQ(workflow->nodes[0].phase, "Failed");
  EXPECT_EQ(workflow->nodes[0].message, "Error (exit code 1)");
  EXPECT_EQ(workflow->nodes[0].started_at, "2026-11-23T07:00:05Z");
}

TEST(SummarizeWorkflowTest, OffloadedNodesSummarizeWithoutNodesAndSayWhy) {
  Result<WorkflowInfo> workflow = SummarizeWorkflow(
      R"({"metadata":{"name":"wf"},"status":{"offloadNodeStatusVersion":"abc"}})");
  ASSERT_TRUE(workflow);
  EXPECT_TRUE(workflow->nodes.empty());
  EXPECT_EQ(workflow->nodes_unread,
            "its node status is offloaded to Argo's database (offloadNodeStatusVersion abc)");
}

std::string CompressedWorkflow(const std::string& compressed_nodes) {
  return R"({"metadata":{"name":"wf","uid":"u1"},"status":{"phase":"Running",)"
         R"("compressedNodes":")" +
         compressed_nodes + R"("}})";
}

TEST(SummarizeWorkflowTest, InflatesCompressedNodesOfAMultiMegabyteRun) {
  std::string nodes = "{";
  for (int i = 0; i < 5000; ++i) {  // about 2 MB inflated, as a large run's status
    if (i != 0) nodes += ',';
    const std::string id = "wf-" + std::to_string(i);
    nodes += "\"" + id + R"(":{"id":")" + id + R"(","name":"wf.step-)" + std::to_string(i) +
             R"(","displayName":"step","type":"Pod","phase":"Succeeded",)"
             R"("startedAt":"2026-11-23T07:00:05Z","outputs":{"parameters":[{"name":"log",)"
             R"("value":")" +
             std::string(300, 'x') + R"("}]}})";
  }
  nodes += "}";
  ASSERT_GT(nodes.size(), 2u * 1000 * 1000);
  Result<WorkflowInfo> workflow =
      SummarizeWorkflow(CompressedWorkflow(testing::CompressNodes(nodes)));
  ASSERT_TRUE(workflow) << workflow.error().ToString();
  ASSERT_EQ(workflow->nodes.size(), 5000u);
  EXPECT_EQ(workflow->nodes[4999].name, "wf.step-4999");
  EXPECT_EQ(workflow->nodes_unread, "");
}

TEST(SummarizeWorkflowTest, CompressedNodesThatCannotBeReadLeaveNoNodesAndSayWhy) {
  // 100 MB of spaces in about 100 KB: past the 64 MB ceiling.
  const std::string bomb = testing::CompressNodes("{" + std::string(100 * 1024 * 1024, ' ') + "}");
  Result<WorkflowInfo> workflow = SummarizeWorkflow(CompressedWorkflow(bomb));
  ASSERT_TRUE(workflow) << workflow.error().ToString();
  EXPECT_TRUE(workflow->nodes.empty());
  EXPECT_EQ(workflow->phase, "Running");
  EXPECT_EQ(workflow->nodes_unread,
            "its status.compressedNodes cannot be read: inflates past 67108864 bytes; refused");
  for (const auto& [compressed, why] : std::vector<std::pair<std::string, std::string>>{
           {"%%%", "not base64"},
           {testing::CompressNodes("[1,2]"), "not a JSON object of nodes"},
           {testing::CompressNodes(R"({"wf-1":{"name":)"), "invalid JSON"}}) {
    Result<WorkflowInfo> bad = SummarizeWorkflow(CompressedWorkflow(compressed));
    ASSERT_TRUE(bad) << why;
    EXPECT_TRUE(bad->nodes.empty()) << why;
    EXPECT_THAT(bad->nodes_unread, ::testing::HasSubstr(why));
  }
}

// A watch line and a list page read their Workflows inside their own document: the inflated
// nodes are a document of their own, read with a parser of their own.
TEST(SummarizeWorkflowTest, CompressedNodesInsideAWatchLineAndAListPage) {
  const std::string workflow =
      CompressedWorkflow(testing::CompressNodes(R"({"wf-1":{"name":"wf.a","phase":"Running"}})"));
  Result<WorkflowWatchLine> line =
      SummarizeWorkflowWatchLine(R"({"type":"MODIFIED","object":)" + workflow + "}");
  ASSERT_TRUE(line);
  ASSERT_TRUE(line->workflow);
  ASSERT_EQ(line->workflow->nodes.size(), 1u);
  EXPECT_EQ(line->workflow->nodes[0].name, "wf.a");
  Result<WorkflowListPage> page = SummarizeWorkflowList(
      R"({"metadata":{"resourceVersion":"9"},"items":[)" + workflow + "," + workflow + "]}");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->workflows.size(), 2u);
  EXPECT_EQ(page->workflows[1].nodes.size(), 1u);
  EXPECT_EQ(page->resource_version, "9");
}

// The reader decodes what it keeps: escapes in keys and values, members in any order, and
// values of unexpected types passed over rather than trusted.
TEST(SummarizeWorkflowTest, UnescapesReadsAnyOrderAndPassesOverMistypedValues) {
  Result<WorkflowInfo> workflow = SummarizeWorkflow(
      R"({"status":{"nodes":{"n\u002d1":{"phase":7,"name":"a\"b"}},"phase":["Running"]},
          "spec":{"arguments":{"parameters":[3,{"value":"v"},{"name":"p","value":{"x":1}}]}},
          "metadata":{"labels":{"pipeline\/runid":"r\u00e9","n":1,"o":{"p":"q"}},
                      "name":"wf","uid":null}})");
  ASSERT_TRUE(workflow) << workflow.error().ToString();
  EXPECT_EQ(workflow->labels,
            (std::map<std::string, std::string>{{"pipeline/runid", "r\xc3\xa9"}}));
  EXPECT_EQ(workflow->uid, "");
  EXPECT_EQ(workflow->phase, "");
  ASSERT_EQ(workflow->parameters.size(), 1u);  // no name: dropped; a non-string value: empty
  EXPECT_EQ(workflow->parameters[0], (Parameter{"p", ""}));
  ASSERT_EQ(workflow->nodes.size(), 1u);
  EXPECT_EQ(workflow->nodes[0].id, "n-1");
  EXPECT_EQ(workflow->nodes[0].name, "a\"b");
  EXPECT_EQ(workflow->nodes[0].phase, "");
}

TEST(SummarizeWorkflowTest, SkipsBulkyPartsOfAMultiMegabyteWorkflow) {
  std::string big =
      R"({"metadata":{"name":"big","labels":{"pipeline/runid":"r"}},"status":{"nodes":{)";
  for (int i = 0; i < 2000; ++i) {
    big += (i ? "," : "") + std::string(R"("n)") + std::to_string(i) + R"(":{"name":"big.s)" +
           std::to_string(i) +
           R"(","phase":"Succeeded","outputs":{"parameters":[{"name":"x","value":")" +
           std::string(1000, 'v') + R"("}]},"inputs":{"artifacts":[]}})";
  }
  big += "}}}";
  ASSERT_GT(big.size(), 2'000'000u);
  Result<WorkflowInfo> info = SummarizeWorkflow(big);
  ASSERT_TRUE(info) << info.error().ToString();
  ASSERT_EQ(info->nodes.size(), 2000u);
  EXPECT_EQ(info->nodes[1999].name, "big.s1999");
  EXPECT_EQ(info->labels.at("pipeline/runid"), "r");
}

// With room for the reader's padding after it, a text is read in place: what lies past its end
// (here, leftovers of a longer text) is never taken for part of it.
TEST(SummarizeWorkflowTest, ReadsInPlaceWithoutReadingPastTheEnd) {
  std::string text = std::string(kWorkflow) + std::string(200, '}');
  text.resize(std::string(kWorkflow).size());
  ASSERT_GE(text.capacity(), text.size() + 64);
  Result<WorkflowInfo> in_place = SummarizeWorkflow(text, text.capacity());
  ASSERT_TRUE(in_place) << in_place.error().ToString();
  EXPECT_EQ(in_place->name, "wf");
  EXPECT_EQ(in_place->nodes.size(), 1u);
  const std::string list = R"({"metadata":{"resourceVersion":"7"},"items":[)" +
                           std::string(kWorkflow) + "]}" + std::string(100, ' ');
  std::string trimmed = list;
  trimmed.resize(list.size() - 100);
  Result<WorkflowListPage> page = SummarizeWorkflowList(trimmed, trimmed.capacity());
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->workflows.size(), 1u);
  EXPECT_EQ(page->resource_version, "7");
}

// Found by the fuzzer: an empty text as a thread's first document has no buffer to copy into.
TEST(SummarizeWorkflowTest, AnEmptyTextAsAThreadsFirstDocumentIsAnError) {
  std::string message;
  std::thread([&] { message = SummarizeWorkflow("").error().message(); }).join();
  EXPECT_THAT(message, ::testing::HasSubstr("invalid JSON"));
}

TEST(SummarizeWorkflowTest, ExplainsWhatIsNotAWorkflow) {
  EXPECT_THAT(SummarizeWorkflow("{\"metadata\":").error().message(),
              ::testing::HasSubstr("invalid JSON at offset"));
  EXPECT_THAT(SummarizeWorkflow("\"text\"").error().message(),
              ::testing::HasSubstr("must be a JSON object"));
  EXPECT_THAT(SummarizeWorkflow("{\"metadata\":7}").error().message(),
              ::testing::HasSubstr("no metadata"));
  EXPECT_THAT(SummarizeWorkflow("{\"metadata\":{\"labels\":{}}}").error().message(),
              ::testing::HasSubstr("no metadata.name"));
  EXPECT_THAT(SummarizeWorkflow("{\"metadata\":{\"name\":\"wf\"}} {}").error().message(),
              ::testing::HasSubstr("invalid JSON at offset"));
  EXPECT_THAT(SummarizeWorkflow("").error().message(), ::testing::HasSubstr("invalid JSON"));
  EXPECT_THAT(SummarizeWorkflow("{\"metadata\":{\"name\":\"w\xff\"}}").error().message(),
              ::testing::HasSubstr("invalid JSON"));
}

}  // namespace
}  // namespace kfpevents::argo
