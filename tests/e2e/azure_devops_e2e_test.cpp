// The azure-devops subscriber end to end: a replay whose runs carry `azdocallbackinfo`
// completes the waiting task on a fake Azure DevOps endpoint, with the URL, body and token it
// expects, retries a 503, skips a malformed callback with one clear line, and never prints the
// token.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/files.hpp"
#include "support/loopback_http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using ::testing::Not;
using testing::RecordedRequest;
using testing::ScriptedResponse;

const std::string kBinary = KFP_EVENTD_BINARY;
constexpr const char* kToken = "T0KEN-S3CRET-azdo";

// The example recording, with a callback parameter added in front of a workflow's first one.
std::string WithParameter(std::string recording, const std::string& first_parameter,
                          const std::string& value) {
  const std::string anchor = R"("parameters":[{"name":")" + first_parameter + "\"";
  const std::size_t at = recording.find(anchor);
  EXPECT_NE(at, std::string::npos) << anchor;
  std::string escaped;  // a JSON string inside the workflow's JSON
  for (const char c : value) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  recording.insert(at + std::string(R"("parameters":[)").size(),
                   R"({"name":"azdocallbackinfo","value":")" + escaped + R"("},)");
  return recording;
}

TEST(AzureDevOpsE2eTest, CompletesTheWaitingTaskWhenTheRunEndsAndSkipsABadCallback) {
  int calls = 0;
  LoopbackHttpServer azure_devops([&](std::size_t, const RecordedRequest&) {
    return ++calls == 1 ? ScriptedResponse{503, {}, "busy"} : ScriptedResponse{200, {}, ""};
  });
  LoopbackHttpServer webhook;
  testing::TempDir dir;
  std::string recording = *ReadFile(std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl");
  // tacos-vs-burritos succeeds and carries a good callback (Python-dict style, as pipelines
  // pass it); fraud-detector fails and carries one without HubName.
  recording = WithParameter(
      recording, "dataset",
      "{'JobId': 'job-1', 'HubName': 'build', 'TaskInstanceId': 'task-2', 'PlanId': 'plan-3', "
      "'ProjectId': 'proj-4', 'PlanUri': '" +
          azure_devops.Url("/org/") + "', 'AuthToken': '" + kToken + "'}");
  recording = WithParameter(recording, "learning_rate",
                            std::string("{'JobId': 'j', 'AuthToken': '") + kToken + "'}");
  const std::string events = dir.Write("runs.jsonl", recording);
  const std::string config = dir.Write("kfp-eventd.yaml",
                                       "subscribers:\n"
                                       "  - name: azdo\n"
                                       "    type: azure-devops\n"
                                       "  - name: teams\n"
                                       "    url: " +
                                           webhook.Url() + "\n");

  const auto result = testing::RunProcess({kBinary, "replay", events, "--config", config});

  // The good callback: one task completed, after one retry of the 503.
  const std::vector<RecordedRequest> requests = azure_devops.Requests();
  ASSERT_EQ(requests.size(), 2u) << result.err;
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/org/proj-4/_apis/distributedtask/hubs/build/plans/plan-3/events");
    EXPECT_EQ(request.Param("api-version"), "2.0-preview.1");
    EXPECT_EQ(request.Header("Authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(request.Header("Content-Type"), "application/json");
    EXPECT_EQ(request.body,
              R"({"name":"TaskCompleted","taskId":"task-2","jobId":"job-1","result":"succeeded"})");
  }
  EXPECT_EQ(requests[0].Header("webhook-id"), requests[1].Header("webhook-id"));
  // The bad one: one line naming the workflow and the key; the other subscriber is unaffected.
  EXPECT_THAT(result.err, HasSubstr("warning: subscriber azdo: notification "));
  EXPECT_THAT(result.err, HasSubstr("workflow kubeflow/fraud-detector-x7k2p: parameter "
                                    "azdocallbackinfo has no key HubName"));
  EXPECT_EQ(webhook.Requests().size(), 18u);
  EXPECT_THAT(result.err, HasSubstr("subscriber teams: 18 delivered"));
  EXPECT_THAT(result.err, HasSubstr("subscriber azdo: 1 delivered, 16 filtered out, 1 retries"));
  // The run reports what could not be done, and the token is nowhere in its output.
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, Not(HasSubstr(kToken)));
  EXPECT_THAT(result.out, Not(HasSubstr(kToken)));
}

TEST(AzureDevOpsE2eTest, AFailedRunCompletesItsTaskAsFailed) {
  LoopbackHttpServer azure_devops;
  testing::TempDir dir;
  // fraud-detector's train-model step fails, and so does the run.
  const std::string recording = WithParameter(
      *ReadFile(std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl"), "learning_rate",
      "{\"JobId\": \"job-9\", \"HubName\": \"release\", \"TaskInstanceId\": \"task-8\", "
      "\"PlanId\": \"plan-7\", \"ProjectId\": \"proj-6\", \"PlanUri\": \"" +
          azure_devops.Url("/org") + "\", \"AuthToken\": \"" + kToken + "\"}");
  const std::string config = dir.Write("kfp-eventd.yaml",
                                       "subscribers:\n"
                                       "  - name: azdo\n"
                                       "    type: azure-devops\n");
  const auto result = testing::RunProcess(
      {kBinary, "replay", dir.Write("runs.jsonl", recording), "--config", config});
  EXPECT_EQ(result.exit_code, 0) << result.err;  // the run without a callback is not an error
  const std::vector<RecordedRequest> requests = azure_devops.Requests();
  ASSERT_EQ(requests.size(), 1u) << result.err;
  EXPECT_EQ(requests[0].path, "/org/proj-6/_apis/distributedtask/hubs/release/plans/plan-7/events");
  EXPECT_EQ(requests[0].body,
            R"({"name":"TaskCompleted","taskId":"task-8","jobId":"job-9","result":"failed"})");
  EXPECT_EQ(requests[0].Header("Authorization"), std::string("Bearer ") + kToken);
  EXPECT_THAT(result.err, Not(HasSubstr(kToken)));
}

// A KFP 2.x run declares the callback as a pipeline input: it travels in the root driver's
// runtime-config, not in spec.arguments (which holds the compiler's data).
TEST(AzureDevOpsE2eTest, AKfpV2RunsCallbackIsReadFromItsRuntimeConfig) {
  LoopbackHttpServer azure_devops;
  testing::TempDir dir;
  std::string recording =
      *ReadFile(std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl");
  const std::string anchor = R"(parameterValues\":{)";
  const std::size_t at = recording.find(anchor);
  ASSERT_NE(at, std::string::npos);
  // churn-pipeline-q8x2z, whose train task fails: a string value inside the runtime-config's
  // JSON, itself a string inside the Workflow's JSON.
  recording.insert(at + anchor.size(),
                   R"(\"azdocallbackinfo\":\"{'JobId': 'job-1', 'HubName': 'build', )"
                   R"('TaskInstanceId': 'task-2', 'PlanId': 'plan-3', 'ProjectId': 'proj-4', )"
                   R"('PlanUri': ')" +
                       azure_devops.Url("/org/") + "', 'AuthToken': '" + kToken + R"('}\",)");
  const std::string events = dir.Write("runs.jsonl", recording);
  const std::string config = dir.Write("kfp-eventd.yaml",
                                       "subscribers:\n"
                                       "  - name: azdo\n"
                                       "    type: azure-devops\n");

  const auto result = testing::RunProcess({kBinary, "replay", events, "--config", config});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<RecordedRequest> requests = azure_devops.Requests();
  ASSERT_EQ(requests.size(), 1u) << result.err;
  EXPECT_EQ(requests[0].path, "/org/proj-4/_apis/distributedtask/hubs/build/plans/plan-3/events");
  EXPECT_EQ(requests[0].Header("Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(requests[0].body,
            R"({"name":"TaskCompleted","taskId":"task-2","jobId":"job-1","result":"failed"})");
  EXPECT_THAT(result.err, HasSubstr("subscriber azdo: 1 delivered"));
  EXPECT_THAT(result.err, Not(HasSubstr(kToken)));
}

TEST(AzureDevOpsE2eTest, ConfigRefusesWhatTheCallbackDecides) {
  testing::TempDir dir;
  const std::string config = dir.Write("kfp-eventd.yaml",
                                       "subscribers:\n"
                                       "  - name: azdo\n"
                                       "    type: azure-devops\n"
                                       "    url: https://dev.azure.com/org/\n"
                                       "    parameter: ci_callback\n");
  const auto result = testing::RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("kfp-eventd.yaml:4:10: subscribers[0].url: not used by type "
                                    "azure-devops (each run's callback names the URL and the "
                                    "token); remove it"));
}

}  // namespace
}  // namespace kfpevents
