#include "argo/kfp_v2.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "argo/decoders.hpp"
#include "kfpevents/argo.hpp"
#include "support/example_runs.hpp"

namespace kfpevents::argo {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

WorkflowInfo Recorded(const std::string& recording, const std::string& name) {
  const testing::ExampleRuns runs = testing::LoadExampleRuns(
      std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/" + recording, "", std::nullopt);
  Result<WorkflowInfo> workflow = SummarizeWorkflow(runs.workflows.at(name));
  EXPECT_TRUE(workflow) << workflow.error().ToString();
  return workflow ? *workflow : WorkflowInfo();
}

std::vector<std::string> Tasks(const WorkflowInfo& workflow) {
  std::vector<std::string> tasks;
  for (const NodeSummary& node : workflow.nodes) {
    if (!node.task.empty()) tasks.push_back(node.task);
  }
  return tasks;
}

const NodeSummary& Node(const WorkflowInfo& workflow, const std::string& task) {
  for (const NodeSummary& node : workflow.nodes) {
    if (node.task == task) return node;
  }
  ADD_FAILURE() << "no task " << task;
  static const NodeSummary kNone;
  return kNone;
}

TEST(KfpV2ViewTest, NamesEachTaskAndNoPlumbing) {
  const WorkflowInfo churn = Recorded("kfp-v2-runs.jsonl", "churn-pipeline-q8x2z");
  EXPECT_TRUE(churn.kfp_v2);
  // 16 Argo nodes: the top DAG, root-driver, root, and per task a driver, the task, a retry
  // wrapper and its attempts (train had two).
  EXPECT_EQ(churn.nodes.size(), 16u);
  EXPECT_THAT(Tasks(churn), UnorderedElementsAre("preprocess", "featurize", "train"));
}

TEST(KfpV2ViewTest, NamesLoopIterationsByTheirIndexAndKeepsCachedTasks) {
  const WorkflowInfo sweep = Recorded("kfp-v2-runs.jsonl", "sweep-pipeline-m4k7p");
  EXPECT_TRUE(sweep.kfp_v2);
  EXPECT_THAT(Tasks(sweep), UnorderedElementsAre("load-data", "evaluate[0]", "evaluate[1]"));
  EXPECT_EQ(Node(sweep, "load-data").phase, "Succeeded");  // cached: its executor was skipped
}

TEST(KfpV2ViewTest, AFailedTaskCarriesItsLastExecutorAttemptsReason) {
  const WorkflowInfo churn = Recorded("kfp-v2-runs.jsonl", "churn-pipeline-q8x2z");
  const NodeSummary& train = Node(churn, "train");
  EXPECT_EQ(train.phase, "Failed");
  EXPECT_EQ(train.message, "Error (exit code 1)");  // not exit 137 (the first attempt), nor
                                                    // "child '…' failed", nor "No more retries"
  EXPECT_EQ(Node(churn, "preprocess").message, "");
}

TEST(KfpV2ViewTest, ParametersComeTypedFromTheRootDriversRuntimeConfig) {
  const WorkflowInfo churn = Recorded("kfp-v2-runs.jsonl", "churn-pipeline-q8x2z");
  EXPECT_THAT(churn.parameters,
              ElementsAre(Parameter{"dataset", "gs://churn/2026-11.csv", ParameterType::kString},
                          Parameter{"epochs", "10", ParameterType::kNumber},
                          Parameter{"learning_rate", "0.05", ParameterType::kNumber},
                          Parameter{"use_gpu", "false", ParameterType::kBool}));
  const WorkflowInfo sweep = Recorded("kfp-v2-runs.jsonl", "sweep-pipeline-m4k7p");
  EXPECT_THAT(sweep.parameters, ElementsAre(Parameter{"model", "xgboost", ParameterType::kString},
                                            Parameter{"folds", "5", ParameterType::kNumber}));
}

TEST(KfpV2ViewTest, KfpV1RunsAreLeftAsTheyAre) {
  const WorkflowInfo tacos = Recorded("kfp-runs.jsonl", "tacos-vs-burritos-vw8g9");
  EXPECT_FALSE(tacos.kfp_v2);
  EXPECT_THAT(Tasks(tacos), IsEmpty());
  EXPECT_THAT(tacos.parameters, ElementsAre(Parameter{"dataset", "gs://food-bucket/orders.csv"},
                                            Parameter{"epochs", "10"}));
}

TEST(KfpV2ViewTest, AV2RunWhoseRuntimeConfigCannotBeReadHasNoParametersRatherThanCompilerData) {
  WorkflowInfo workflow;
  workflow.parameters = {{"components-root", "{}"}};
  workflow.nodes.push_back({"id", "wf.root-driver", "root-driver", "Pod", "system-dag-driver"});
  ApplyKfpV2View(workflow, "not json");
  EXPECT_TRUE(workflow.kfp_v2);
  EXPECT_THAT(workflow.parameters, IsEmpty());
}

TEST(RuntimeConfigTest, ReadsBothShapesWithTheirTypes) {
  Result<std::vector<Parameter>> current = ParseRuntimeConfig(
      R"({"parameterValues":{"s":"x","n":3,"d":0.5,"b":true,"l":[1,"a"],"o":{"k":1},"z":null}})");
  ASSERT_TRUE(current);
  EXPECT_THAT(*current, ElementsAre(Parameter{"s", "x", ParameterType::kString},
                                    Parameter{"n", "3", ParameterType::kNumber},
                                    Parameter{"d", "0.5", ParameterType::kNumber},
                                    Parameter{"b", "true", ParameterType::kBool},
                                    Parameter{"l", R"([1,"a"])", ParameterType::kList},
                                    Parameter{"o", R"({"k":1})", ParameterType::kStruct},
                                    Parameter{"z", "null", ParameterType::kNull}));
  Result<std::vector<Parameter>> legacy = ParseRuntimeConfig(
      R"({"parameters":{"s":{"stringValue":"hi"},"i":{"intValue":"7"},"d":{"doubleValue":1.5}}})");
  ASSERT_TRUE(legacy);
  EXPECT_THAT(*legacy, ElementsAre(Parameter{"s", "hi", ParameterType::kString},
                                   Parameter{"i", "7", ParameterType::kNumber},
                                   Parameter{"d", "1.5", ParameterType::kNumber}));
  EXPECT_THAT(*ParseRuntimeConfig("{}"), IsEmpty());
  EXPECT_FALSE(ParseRuntimeConfig("[1]"));
  EXPECT_FALSE(ParseRuntimeConfig(R"({"parameterValues":)"));
}

WorkflowEvent NodeEvent(const std::string& reason, const std::string& message) {
  WorkflowEvent event;
  event.reason = reason;
  event.message = message;
  return event;
}

TEST(KfpV2ViewTest, TheEventPathGivesAFailedTaskItsExecutorsReason) {
  const WorkflowInfo churn = Recorded("kfp-v2-runs.jsonl", "churn-pipeline-q8x2z");
  WorkflowEvent failed = NodeEvent("WorkflowNodeFailed",
                                   "Failed node churn-pipeline-q8x2z.root.train: child 'x' failed");
  GiveTaskItsReason(failed, churn);
  EXPECT_EQ(failed.message, "Failed node churn-pipeline-q8x2z.root.train: Error (exit code 1)");
  // Plumbing, other phases and KFP 1.x runs keep Argo's message.
  WorkflowEvent root =
      NodeEvent("WorkflowNodeFailed", "Failed node churn-pipeline-q8x2z.root: child 'y' failed");
  GiveTaskItsReason(root, churn);
  EXPECT_EQ(root.message, "Failed node churn-pipeline-q8x2z.root: child 'y' failed");
  WorkflowEvent running =
      NodeEvent("WorkflowNodeRunning", "Running node churn-pipeline-q8x2z.root.train");
  GiveTaskItsReason(running, churn);
  EXPECT_EQ(running.message, "Running node churn-pipeline-q8x2z.root.train");
}

TEST(KfpV2ViewTest, PlumbingIsToldFromTasksByTheSummaryOrElseByName) {
  const WorkflowInfo churn = Recorded("kfp-v2-runs.jsonl", "churn-pipeline-q8x2z");
  const auto plumbing = [&](const std::string& node, const WorkflowInfo* workflow) {
    return IsKfpV2Plumbing(NodeEvent("WorkflowNodeSucceeded", "Succeeded node " + node), workflow);
  };
  for (const char* node :
       {"churn-pipeline-q8x2z", "churn-pipeline-q8x2z.root-driver", "churn-pipeline-q8x2z.root",
        "churn-pipeline-q8x2z.root.train-driver", "churn-pipeline-q8x2z.root.train.executor",
        "churn-pipeline-q8x2z.root.train.executor(1)"}) {
    EXPECT_TRUE(plumbing(node, &churn)) << node;
  }
  EXPECT_FALSE(plumbing("churn-pipeline-q8x2z.root.train", &churn));
  EXPECT_FALSE(IsKfpV2Plumbing(NodeEvent("WorkflowFailed", "child 'x' failed"), &churn));
  // Not in the summary (an older copy): judged by its name.
  EXPECT_TRUE(plumbing("churn-pipeline-q8x2z.root.deploy-driver", &churn));
  EXPECT_TRUE(plumbing("churn-pipeline-q8x2z.root.for-loop-4.iteration-iterations(2:2)", &churn));
  EXPECT_TRUE(plumbing("churn-pipeline-q8x2z.root.for-loop-4", &churn));
  EXPECT_TRUE(plumbing("churn-pipeline-q8x2z.root.condition-branches-2", &churn));
  EXPECT_FALSE(plumbing("churn-pipeline-q8x2z.root.for-loop-fast", &churn));
  EXPECT_FALSE(plumbing("churn-pipeline-q8x2z.root.deploy", &churn));
  // KFP 1.x and unresolved runs: nothing is plumbing.
  const WorkflowInfo tacos = Recorded("kfp-runs.jsonl", "tacos-vs-burritos-vw8g9");
  EXPECT_FALSE(plumbing("tacos-vs-burritos-vw8g9", &tacos));
  EXPECT_FALSE(plumbing("churn-pipeline-q8x2z.root-driver", nullptr));
}

// A run whose `train` task's driver failed, after retrying (KFP 2.x with a task retry policy),
// and whose `evaluate[1]` loop iteration's driver failed once: Argo omits both tasks.
WorkflowInfo RunWithFailedDrivers() {
  WorkflowInfo run;
  run.name = "wf";
  const auto add = [&](std::string name, std::string display, std::string type,
                       std::string template_name, std::string phase, std::string message = "",
                       std::string started = "2026-11-26T10:00:00Z") {
    run.nodes.push_back(NodeSummary{"", std::move(name), std::move(display), std::move(type),
                                    std::move(template_name), std::move(phase), std::move(message),
                                    std::move(started), "", ""});
  };
  add("wf.root-driver", "root-driver", "Pod", "system-dag-driver", "Succeeded");
  add("wf.root", "root", "DAG", "root", "Failed", "child 'wf-1' failed");
  add("wf.root.train-driver", "train-driver", "Retry", "retry-system-container-driver-always",
      "Failed", "No more retries left");
  add("wf.root.train-driver(0)", "train-driver(0)", "Pod", "retry-system-container-driver-always",
      "Failed", "failed to resolve inputs: upstream output missing", "2026-11-26T10:00:01Z");
  add("wf.root.train-driver(1)", "train-driver(1)", "Pod", "retry-system-container-driver-always",
      "Failed", "failed to resolve inputs: MLMD unreachable", "2026-11-26T10:00:09Z");
  add("wf.root.train", "train", "Skipped", "system-container-executor", "Omitted");
  add("wf.root.train-driver.onExit", "train-driver.onExit", "Pod",
      "finalize-retry-system-container-driver-always", "Failed", "hook");
  add("wf.root.for-loop-2.iteration-iterations(1:1).evaluate-driver", "evaluate-driver", "Pod",
      "system-container-driver", "Error", "pod spec patch refused");
  add("wf.root.for-loop-2.iteration-iterations(1:1).evaluate", "evaluate", "Skipped",
      "system-container-executor", "Omitted");
  add("wf.root.preprocess-driver", "preprocess-driver", "Pod", "system-container-driver",
      "Succeeded");
  add("wf.root.preprocess", "preprocess", "DAG", "system-container-executor", "Succeeded");
  ApplyKfpV2View(run, R"({"parameterValues":{}})");
  return run;
}

TEST(KfpV2ViewTest, ATaskWhoseDriverFailedFailsWithTheDriversReason) {
  const WorkflowInfo run = RunWithFailedDrivers();
  std::vector<std::string> failed;
  for (const NodeSummary& node : run.nodes) {
    if (!node.task.empty() && (node.phase == "Failed" || node.phase == "Error")) {
      failed.push_back(node.task + ": " + node.message);
    }
  }
  EXPECT_THAT(failed, UnorderedElementsAre("train: failed to resolve inputs: MLMD unreachable",
                                           "evaluate[1]: pod spec patch refused"));
  // Its Event is the task's: named as the task, with the reason of the last attempt.
  WorkflowEvent event =
      NodeEvent("WorkflowNodeFailed", "Failed node wf.root.train-driver: No more retries left");
  EXPECT_FALSE(IsKfpV2Plumbing(event, &run));
  EXPECT_EQ(NodeDisplayName(event, &run), "train");
  GiveTaskItsReason(event, run);
  EXPECT_EQ(event.message,
            "Failed node wf.root.train-driver: failed to resolve inputs: MLMD unreachable");
  // Its attempts, the hook that finalizes the retry, and a driver that succeeded stay plumbing.
  for (const char* node : {"wf.root.train-driver(1)", "wf.root.train-driver.onExit",
                           "wf.root.preprocess-driver", "wf.root-driver"}) {
    EXPECT_TRUE(IsKfpV2Plumbing(
        NodeEvent("WorkflowNodeFailed", std::string("Failed node ") + node + ": x"), &run))
        << node;
  }
}

TEST(KfpV2ViewTest, NodeNameIsTheTaskAndThePipelineNameComesFromGenerateName) {
  const WorkflowInfo sweep = Recorded("kfp-v2-runs.jsonl", "sweep-pipeline-m4k7p");
  const WorkflowEvent event = NodeEvent(
      "WorkflowNodeRunning",
      "Running node sweep-pipeline-m4k7p.root.for-loop-2.iteration-iterations(1:1).iteration-item."
      "evaluate");
  EXPECT_EQ(NodeDisplayName(event, &sweep), "evaluate[1]");
  EXPECT_EQ(PipelineName(&sweep), "sweep-pipeline");
  EXPECT_EQ(RunName(&sweep), "");
  const WorkflowInfo churn = Recorded("kfp-v2-runs.jsonl", "churn-pipeline-q8x2z");
  EXPECT_EQ(RunName(&churn), "churn weekly");
}

}  // namespace
}  // namespace kfpevents::argo
