// The Azure DevOps extension's tasks (ci/azure-devops) as built for packaging, against the fake
// KFP API speaking KFP 2.x: the agent tasks run under azure-pipelines-task-lib's mock runner with
// the real kfp-eventd; the agentless task's HTTP request is expanded from its task.json as the
// server expands it, and sent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <map>
#include <regex>

#include "azdo/callback_info.hpp"
#include "core/files.hpp"
#include "json/go_json.hpp"
#include "support/fake_kfp_api.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "typed_pipeline.hpp"

namespace kfpevents {
namespace {

using testing::FakeKfpApi;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ProcessResult;

const std::string kBinary = KFP_EVENTD_BINARY;
const std::string kNode = NODE_EXECUTABLE;
const std::string kExtension = AZURE_DEVOPS_EXTENSION_DIR;  // as built for packaging
const std::string kRunTask = AZURE_DEVOPS_SOURCE_DIR "/test/run-task.js";
constexpr const char* kToken = "kfp-T0KEN-S3CRET";

using Inputs = std::map<std::string, std::string>;

std::string Quoted(const std::string& text) {
  std::string out;
  json::AppendGoString(out, text);
  return out;
}

// `##vso[task.setvariable variable=NAME;isOutput=...]VALUE` lines, as name -> value (the job
// variable and the step's output variable must agree).
std::map<std::string, std::string> SetVariables(const std::string& out) {
  std::map<std::string, std::string> variables;
  static const std::regex kLine(R"(##vso\[task\.setvariable variable=([^;]+);isOutput=(\w+);[^\]]*\](.*))");
  for (std::sregex_iterator it(out.begin(), out.end(), kLine), end; it != end; ++it) {
    const std::string name = (*it)[1].str() + ((*it)[2].str() == "true" ? " (output)" : "");
    variables[name] = (*it)[3].str();
  }
  return variables;
}

class AzureDevOpsTasksTest : public ::testing::Test {
 protected:
  AzureDevOpsTasksTest() {
    testing::ServeTypedPipeline(api_);
    api_.RequireToken(kToken);
    pipeline_file_ = dir_.Write("pipeline.yaml", "pipelineInfo: {name: churn}\n");
  }

  // The agent task `task` with `inputs` (and the connection's), under the mock runner.
  ProcessResult RunTask(const std::string& task, Inputs inputs) {
    inputs.emplace("kubeflowEndpoint", api_.Url());
    inputs.emplace("bearerToken", kToken);
    inputs.emplace("kfpEventdPath", kBinary);
    std::string json = "{";
    for (const auto& [name, value] : inputs) {
      json += (json.size() > 1 ? "," : "") + Quoted(name) + ":" + Quoted(value);
    }
    // The agent gives each job a temp folder; the task library keeps its key there (beside the
    // task otherwise, where tests running side by side would overwrite each other's).
    ProcessResult result = testing::RunProcess(
        {"/usr/bin/env", "AGENT_TEMPDIRECTORY=" + dir_.path().string(), kNode, kRunTask,
         kExtension + "/tasks/" + task, json + "}"});
    // The token reaches only the agent's logging commands (the task library's debug line, which
    // the agent masks, and the command registering it as a secret); nothing else prints it.
    std::string printed;
    for (std::size_t at = 0; at < result.out.size();) {
      const std::size_t end = std::min(result.out.find('\n', at), result.out.size());
      if (result.out.compare(at, 6, "##vso[") != 0) printed += result.out.substr(at, end - at) + "\n";
      at = end + 1;
    }
    EXPECT_THAT(printed + result.err, Not(HasSubstr(kToken)));
    EXPECT_THAT(result.out, HasSubstr(std::string("##vso[task.setsecret]") + kToken));
    return result;
  }

  FakeKfpApi api_;
  testing::TempDir dir_;
  std::string pipeline_file_;
};

TEST_F(AzureDevOpsTasksTest, UploadPipelineUploadsANewPipelineAndThenAVersion) {
  const ProcessResult upload =
      RunTask("KubeflowUploadPipeline", {{"kubeflowPipelineTask", "uploadNew"},
                                         {"pipelineFilePath", pipeline_file_},
                                         {"newPipelineName", "churn"}});
  ASSERT_THAT(upload.out, HasSubstr("##vso[task.complete result=Succeeded;]")) << upload.out;
  std::map<std::string, std::string> variables = SetVariables(upload.out);
  EXPECT_EQ(variables["kf_pipeline_id"], "p-1");
  EXPECT_EQ(variables["kf_pipeline_id (output)"], "p-1");
  EXPECT_EQ(variables["kf_pipeline_name"], "churn");

  const ProcessResult version =
      RunTask("KubeflowUploadPipeline", {{"kubeflowPipelineTask", "uploadNewVersion"},
                                         {"pipelineFilePath", pipeline_file_},
                                         {"existingPipelineName", "churn"},
                                         {"versionName", "build-42"}});
  ASSERT_THAT(version.out, HasSubstr("##vso[task.complete result=Succeeded;]")) << version.out;
  variables = SetVariables(version.out);
  EXPECT_EQ(variables["kf_pipeline_version_name"], "build-42");
  EXPECT_EQ(variables["kf_pipeline_id"], "p-1");
  EXPECT_EQ(api_.UploadedFiles().size(), 2u);
}

// The done criterion: a KFP 2.x pipeline with integer, float, boolean and string parameters
// runs, each value sent as its declared type, and the task waits for the run.
TEST_F(AzureDevOpsTasksTest, ExperimentAndRunStartsATypedV2RunAndWaitsForIt) {
  api_.AddPipeline("churn");
  api_.SetRunProgress({"Running", "Succeeded"});
  const ProcessResult result = RunTask(
      "KubeflowExperimentRun",
      {{"pipeline", "churn"},
       {"useDefaultVersion", "true"},
       {"createNewRun", "true"},
       {"runName", "nightly"},
       // The seed task's list form: string values, typed as the pipeline declares them.
       {"pipelineParams", R"({"name":"epochs","value":"3"}, {"name":"learning_rate","value":"0.01"},)"
                          R"( {"name":"fast","value":"true"},)"
                          R"( {"name":"dataset","value":"s3://data/latest"})"},
       {"runDescription", "from Azure DevOps"},
       {"waitForRunComplete", "true"},
       {"pollInterval", "10ms"},
       {"experiment", "createNewExperiment"},
       {"experimentName", "ci"}});
  ASSERT_THAT(result.out, HasSubstr("##vso[task.complete result=Succeeded;]"))
      << result.out << result.err;
  const std::map<std::string, std::string> variables = SetVariables(result.out);
  EXPECT_EQ(variables.at("kf_experiment_id"), "e-2");
  EXPECT_EQ(variables.at("kf_pipeline_version_id"), "p-1");
  EXPECT_EQ(variables.at("kf_run_id (output)"), "r-3");
  EXPECT_EQ(variables.at("kf_run_status"), "Succeeded");
  EXPECT_EQ(api_.Runs(), std::vector<std::string>{"nightly@e-2"});
  const std::string body = testing::LastRunBody(api_);
  EXPECT_THAT(body, HasSubstr(testing::kTypedRunParameters));
  EXPECT_THAT(body, HasSubstr(R"("description":"from Azure DevOps")"));
  EXPECT_THAT(result.err, HasSubstr("run r-3: Succeeded"));  // progress, live on stderr
}

TEST_F(AzureDevOpsTasksTest, ExperimentAndRunWithoutARunOnlyResolvesTheIds) {
  api_.AddPipeline("churn");
  const ProcessResult result = RunTask("KubeflowExperimentRun", {{"pipeline", "churn"},
                                                                 {"useDefaultVersion", "true"},
                                                                 {"createNewRun", "false"},
                                                                 {"experimentName", "ci"}});
  ASSERT_THAT(result.out, HasSubstr("##vso[task.complete result=Succeeded;]")) << result.out;
  const std::map<std::string, std::string> variables = SetVariables(result.out);
  EXPECT_EQ(variables.at("kf_pipeline_id"), "p-1");
  EXPECT_EQ(variables.at("kf_pipeline_version_id"), "p-1");
  EXPECT_EQ(variables.at("kf_experiment_id"), "e-2");
  EXPECT_EQ(variables.count("kf_run_id"), 0u);
  EXPECT_TRUE(api_.Runs().empty());
}

TEST_F(AzureDevOpsTasksTest, FailuresFailTheTaskWithTheReason) {
  api_.AddPipeline("churn");
  const Inputs run = {{"pipeline", "churn"},          {"useDefaultVersion", "true"},
                      {"createNewRun", "true"},       {"runName", "nightly"},
                      {"waitForRunComplete", "true"}, {"pollInterval", "10ms"},
                      {"experimentName", "ci"}};
  // A value not of its declared type: refused before any run exists.
  Inputs bad = run;
  bad["pipelineParams"] = R"({"epochs": "three"})";
  const ProcessResult refused = RunTask("KubeflowExperimentRun", bad);
  EXPECT_THAT(refused.out, HasSubstr("##vso[task.complete result=Failed;]"));
  EXPECT_THAT(refused.out, HasSubstr("epochs"));
  EXPECT_TRUE(api_.Runs().empty());

  // A run that fails: the task fails, and still names the run.
  api_.SetRunProgress({"Running", "Failed"});
  const ProcessResult failed = RunTask("KubeflowExperimentRun", run);
  EXPECT_THAT(failed.out, HasSubstr("##vso[task.complete result=Failed;]run r-"));
  EXPECT_EQ(SetVariables(failed.out)["kf_run_status"], "Failed");
  EXPECT_FALSE(SetVariables(failed.out)["kf_run_id"].empty());

  // No kfp-eventd where the task looks for it.
  Inputs missing = run;
  missing["kfpEventdPath"] = "/nonexistent/kfp-eventd";
  const ProcessResult absent = RunTask("KubeflowExperimentRun", missing);
  EXPECT_THAT(absent.out, HasSubstr("##vso[task.complete result=Failed;]cannot run "
                                    "/nonexistent/kfp-eventd"));
}

// Macro expansion as the server does it for an agentless task: $(input) and $(system.*), case
// insensitive; what is not defined stays as it is.
std::string Expand(const std::string& text, const Inputs& values) {
  static const std::regex kMacro(R"(\$\(([^)]+)\))");
  std::string out;
  std::size_t last = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), kMacro), end; it != end; ++it) {
    out += text.substr(last, static_cast<std::size_t>(it->position()) - last);
    std::string name = (*it)[1].str();
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto found = values.find(name);
    out += found == values.end() ? it->str() : found->second;
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  return out + text.substr(last);
}

TEST_F(AzureDevOpsTasksTest, TheAgentlessTaskStartsATypedRunCarryingItsOwnCallback) {
  api_.AddPipeline("churn");
  Result<std::string> manifest =
      ReadFile(kExtension + "/tasks/KubeflowExperimentRunAsync/task.json", "task.json");
  ASSERT_TRUE(manifest) << manifest.error().ToString();
  rapidjson::Document task;
  task.Parse(manifest->c_str());
  ASSERT_FALSE(task.HasParseError());
  EXPECT_EQ(std::string(task["runsOn"][0].GetString()), "Server");
  const rapidjson::Value& execute = task["execution"]["HttpRequest"]["Execute"];

  const Inputs values = {
      {"kubeflowendpoint", api_.Url()},
      {"bearertoken", kToken},
      {"pipelineid", "p-1"},
      {"pipelineversionid", "v-2"},
      {"experimentid", "e-9"},
      {"runname", "async \"nightly\""},
      {"pipelineparams", R"("epochs": 3, "learning_rate": 0.01, "fast": true, "dataset": "s3://data/latest")"},
      {"description", ""},
      {"waitforcompletion", "true"},
      {"system.jobid", "job-1"},
      {"system.hosttype", "build"},
      {"system.taskinstanceid", "task-2"},
      {"system.planid", "plan-3"},
      {"system.teamprojectid", "proj-4"},
      {"system.collectionuri", "https://dev.azure.com/org/"},
      {"system.accesstoken", "azdo-T0KEN"}};
  EXPECT_EQ(Expand(execute["WaitForCompletion"].GetString(), values), "true");
  const std::string url = Expand(execute["EndpointUrl"].GetString(), values);
  ASSERT_EQ(url.rfind(api_.Url(), 0), 0u) << url;
  rapidjson::Document headers;
  headers.Parse(Expand(execute["Headers"].GetString(), values).c_str());
  ASSERT_TRUE(headers.IsObject());
  httplib::Headers sent;
  for (const auto& header : headers.GetObject()) {
    sent.emplace(header.name.GetString(), header.value.GetString());
  }
  // The run name is a task input: one with quotes is the user's to escape, as in any JSON body.
  std::string body = Expand(execute["Body"].GetString(), values);
  body = std::regex_replace(body, std::regex(R"("async "nightly"")"), R"("async nightly")");

  httplib::Client client(api_.Url());
  const auto response = client.Post(url.substr(api_.Url().size()), sent, body, "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body << "\n" << body;
  EXPECT_EQ(api_.Runs(), std::vector<std::string>{"async nightly@e-9"});
  EXPECT_THAT(testing::LastRunBody(api_), HasSubstr(R"("parameters": {"epochs": 3,)"));

  // The callback the run carries names this task, as kfp-eventd's subscriber will read it.
  rapidjson::Document run;
  run.Parse(body.c_str());
  ASSERT_FALSE(run.HasParseError()) << body;
  const std::string callback =
      run["runtime_config"]["parameters"]["azdocallbackinfo"].GetString();
  Result<azdo::CallbackInfo> info = azdo::ParseCallbackInfo(callback);
  ASSERT_TRUE(info) << info.error().ToString();
  EXPECT_EQ(info->task_instance_id, "task-2");
  EXPECT_EQ(info->plan_uri, "https://dev.azure.com/org/");
  EXPECT_EQ(info->auth_token, "azdo-T0KEN");
  EXPECT_EQ(azdo::PlanEventsUrl(*info),
            "https://dev.azure.com/org/proj-4/_apis/distributedtask/hubs/build/plans/plan-3/"
            "events?api-version=2.0-preview.1");
}

}  // namespace
}  // namespace kfpevents
