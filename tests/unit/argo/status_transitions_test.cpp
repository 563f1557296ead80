#include "argo/status_transitions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>

#include "argo/decoders.hpp"
#include "argo/kfp_v2.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"
#include "support/example_runs.hpp"

namespace kfpevents::argo {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSubsetOf;

// A recording of examples/events/, or of tests/e2e/data/ when it is not there.
testing::ExampleRuns Runs(const std::string& recording = "kfp-runs.jsonl") {
  const std::string example = std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/" + recording;
  const std::string test_data = std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/" + recording;
  return testing::LoadExampleRuns(std::filesystem::exists(example) ? example : test_data, "",
                                  std::nullopt);
}

WorkflowInfo Workflow(const testing::ExampleRuns& runs, const std::string& name) {
  Result<WorkflowInfo> workflow = SummarizeWorkflow(runs.workflows.at(name));
  EXPECT_TRUE(workflow) << workflow.error().ToString();
  return *workflow;
}

// What a subscriber would get for `event`: the kfp payload.
std::string Payload(const WorkflowEvent& event, const WorkflowInfo& workflow) {
  Notification notification{event, std::make_shared<const WorkflowInfo>(workflow),
                            TransitionKey(event, &workflow)};
  return MakeKfpFormatter()->Format(notification)->body;
}

TEST(StatusTransitionsTest, ListsRunningThenEachNodeThenTheEndWithArgosReasonsAndMessages) {
  const testing::ExampleRuns runs = Runs();
  const WorkflowInfo fraud = Workflow(runs, "fraud-detector-x7k2p");
  std::vector<std::string> lines;
  for (const WorkflowEvent& event : StatusTransitions(fraud)) {
    lines.push_back(event.reason + " | " + event.message + " | " + event.type + " | " +
                    event.last_timestamp);
  }
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.front(), "WorkflowRunning | Workflow Running | Normal | " + fraud.started_at);
  EXPECT_EQ(lines.back(),
            "WorkflowFailed | " + fraud.message + " | Warning | " + fraud.finished_at);
  EXPECT_THAT(lines, ::testing::Contains("WorkflowNodeFailed | Failed node "
                                         "fraud-detector-x7k2p.train-model: Error (exit code 1) | "
                                         "Warning | 2026-11-23T07:01:15Z"))
      << ::testing::PrintToString(lines);
}

// The heart of reconciliation: for every transition the recorded Events report, the status
// path produces the same key (so nothing is notified twice) and the same payload. KFP 1.x and
// KFP 2.x recordings, the latter with Events Kubernetes combined and Argo 3.3's two annotations.
class RecordedRunsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RecordedRunsTest, StatusTransitionsNameEveryRecordedEventsTransitionAsTheEventPathDoes) {
  const testing::ExampleRuns runs = Runs(GetParam());
  std::map<std::string, std::string> status_payloads;  // key -> payload
  for (const auto& [name, json] : runs.workflows) {
    const WorkflowInfo workflow = Workflow(runs, name);
    for (const WorkflowEvent& event : StatusTransitions(workflow)) {
      status_payloads[TransitionKey(event, &workflow)] = Payload(event, workflow);
    }
  }
  std::set<std::string> event_keys;
  for (const std::string& json : runs.events) {
    rapidjson::Document document;
    document.Parse(json.c_str());
    WorkflowEvent event = *DecodeEvent(document);
    const WorkflowInfo workflow = Workflow(runs, WorkflowOf(event).name);
    const std::string key = TransitionKey(event, &workflow);
    GiveTaskItsReason(event, workflow);  // as the pipeline does
    event_keys.insert(key);
    ASSERT_EQ(status_payloads.count(key), 1u) << "no status transition for " << key;
    EXPECT_EQ(status_payloads[key], Payload(event, workflow)) << key;
  }
  EXPECT_EQ(event_keys.size(), runs.events.size());
  EXPECT_EQ(status_payloads.size(), runs.events.size());  // and nothing the Events lack
}

INSTANTIATE_TEST_SUITE_P(Recordings, RecordedRunsTest,
                         ::testing::Values("kfp-runs.jsonl", "kfp-v2-runs.jsonl",
                                           "kfp-v2-twenty-tasks.jsonl"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name;
                           for (const char c : std::string(info.param)) {
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                           }
                           return name;
                         });

TEST(StatusTransitionsTest, APendingWorkflowOrNodeWithoutAStartHasNoTransitions) {
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.phase = "Pending";
  NodeSummary node;
  node.id = "wf-1";
  node.name = "wf.step";
  node.phase = "Pending";
  workflow.nodes.push_back(node);
  EXPECT_TRUE(StatusTransitions(workflow).empty());
}

TEST(StatusTransitionsTest, NodeEventsCarryTheAnnotationsTheControllerWrites) {
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.uid = "uid-1";
  workflow.phase = "Running";
  NodeSummary node{"wf-123",
                   "wf.train(1)",
                   "train(1)",
                   "Pod",
                   "train",
                   "Succeeded",
                   "",
                   "2026-11-23T07:00:30Z",
                   "2026-11-23T07:00:48Z"};
  workflow.nodes.push_back(node);
  const std::vector<WorkflowEvent> events = StatusTransitions(workflow);
  ASSERT_EQ(events.size(), 2u);  // no workflow start time: no WorkflowRunning
  EXPECT_EQ(events[1].reason, "WorkflowNodeSucceeded");
  EXPECT_EQ(events[1].message, "Succeeded node wf.train(1)");
  EXPECT_EQ(events[1].annotations.at(kNodeIdAnnotation), "wf-123");
  EXPECT_EQ(events[1].annotations.at(kNodeTypeAnnotation), "Pod");
  EXPECT_EQ(events[1].annotations.at(kNodeStartTimeAnnotation), "1795417230000000000");
  EXPECT_EQ(events[1].involved_object.uid, "uid-1");
  EXPECT_EQ(events[1].source_component, kReconcilerComponent);
}

TEST(TransitionKeyTest, ATimeoutAndAFailureOfTheSameRunAreOneTransition) {
  WorkflowInfo workflow;
  workflow.name = "wf";
  workflow.uid = "uid-1";
  workflow.started_at = "2026-11-23T07:00:00Z";
  WorkflowEvent timed_out;
  timed_out.reason = "WorkflowTimedOut";
  timed_out.involved_object = {"Workflow", "ns", "wf", "uid-1", ""};
  WorkflowEvent failed = timed_out;
  failed.reason = "WorkflowFailed";
  EXPECT_EQ(TransitionKey(timed_out, &workflow), TransitionKey(failed, &workflow));
}

TEST(SummarizeWorkflowWatchLineTest, ReadsTheEnvelopeAndSummarizesTheObject) {
  const testing::ExampleRuns runs = Runs();
  const std::string& json = runs.workflows.at("tacos-vs-burritos-vw8g9");
  Result<WorkflowWatchLine> line =
      SummarizeWorkflowWatchLine(R"({"type":"MODIFIED","object":)" + json + "}");
  ASSERT_TRUE(line) << line.error().ToString();
  EXPECT_EQ(line->type, "MODIFIED");
  ASSERT_TRUE(line->workflow);
  EXPECT_EQ(line->workflow->name, "tacos-vs-burritos-vw8g9");
  EXPECT_EQ(line->uid, line->workflow->uid);
  EXPECT_EQ(line->workflow->nodes.size(), SummarizeWorkflow(json)->nodes.size());

  Result<WorkflowWatchLine> bookmark = SummarizeWorkflowWatchLine(
      R"({"type":"BOOKMARK","object":{"kind":"Workflow","metadata":{"resourceVersion":"77"}}})");
  ASSERT_TRUE(bookmark);
  EXPECT_EQ(bookmark->resource_version, "77");
  EXPECT_FALSE(bookmark->workflow);

  Result<WorkflowWatchLine> error = SummarizeWorkflowWatchLine(
      R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}})");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status_code, 410);
  EXPECT_EQ(error->status_reason, "Expired");
  EXPECT_EQ(error->status_message, "too old");

  EXPECT_FALSE(SummarizeWorkflowWatchLine(R"({"object":{}})"));
  EXPECT_FALSE(SummarizeWorkflowWatchLine(R"({"type":"ADDED","object":{)"));
}

TEST(SummarizeWorkflowListTest, SummarizesEveryItemAndReportsTheBadOnes) {
  const testing::ExampleRuns runs = Runs();
  const std::string body =
      R"({"kind":"WorkflowList","metadata":{"resourceVersion":"900","continue":"c2"},"items":[)" +
      runs.workflows.at("tacos-vs-burritos-vw8g9") + R"(,{"metadata":{"labels":{}}},)" +
      runs.workflows.at("fraud-detector-x7k2p") + "]}";
  Result<WorkflowListPage> page = SummarizeWorkflowList(body);
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->resource_version, "900");
  EXPECT_EQ(page->continue_token, "c2");
  ASSERT_EQ(page->workflows.size(), 2u);
  EXPECT_EQ(page->workflows[0].name, "tacos-vs-burritos-vw8g9");
  EXPECT_EQ(page->workflows[1].name, "fraud-detector-x7k2p");
  EXPECT_THAT(page->bad_items, ElementsAre("Workflow has no metadata.name"));
}

}  // namespace
}  // namespace kfpevents::argo
