// `kfp-eventd kfp ...` against a fake KFP API: uploads, experiments, runs with both parameter
// forms, waiting to every kind of end, the Azure DevOps callback, auth and failures, and exit
// codes that tell a failed run from a failed command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "core/files.hpp"
#include "support/fake_kfp_api.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using testing::FakeKfpApi;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ProcessResult;
using testing::RecordedRequest;

const std::string kBinary = KFP_EVENTD_BINARY;
constexpr const char* kToken = "kfp-T0KEN-S3CRET";

class KfpCliE2eTest : public ::testing::Test {
 protected:
  KfpCliE2eTest() {
    api_.RequireToken(kToken);
    pipeline_file_ = dir_.Write("pipeline.yaml", "pipelineInfo: {name: churn}\n");
  }

  // `kfp-eventd kfp ARGS` against `endpoint` (default: the fixture's fake server).
  ProcessResult Kfp(std::vector<std::string> args, std::vector<std::string> env = {},
                    const std::string& endpoint = "") {
    std::vector<std::string> argv = {"/usr/bin/env", "KFP_TOKEN=" + std::string(kToken)};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.insert(argv.end(), {kBinary, "kfp"});
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--endpoint", endpoint.empty() ? api_.Url() : endpoint});
    ProcessResult result = testing::RunProcess(argv);
    EXPECT_THAT(result.out + result.err, Not(HasSubstr(kToken)));
    return result;
  }

  std::vector<RecordedRequest> Posts(const std::string& path) const {
    std::vector<RecordedRequest> out;
    for (const RecordedRequest& request : api_.Requests()) {
      if (request.method == "POST" && request.path == path) out.push_back(request);
    }
    return out;
  }

  FakeKfpApi api_;
  testing::TempDir dir_;
  std::string pipeline_file_;
};

TEST_F(KfpCliE2eTest, UploadsANewPipelineAndPrintsAzureDevOpsOutputVariables) {
  const ProcessResult result =
      Kfp({"pipeline", "upload", "--file", pipeline_file_, "--name", "churn", "-o", "azdo"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "##vso[task.setvariable variable=kf_pipeline_id;isOutput=true]p-1\n"
            "##vso[task.setvariable variable=kf_pipeline_name;isOutput=true]churn\n"
            "##vso[task.setvariable variable=kf_pipeline_version_id;isOutput=true]p-1\n");
  EXPECT_EQ(api_.UploadedFiles(), std::vector<std::string>{"pipelineInfo: {name: churn}\n"});
  EXPECT_EQ(Posts("/apis/v1beta1/pipelines/upload").at(0).Header("Authorization"),
            std::string("Bearer ") + kToken);
}

TEST_F(KfpCliE2eTest, ADuplicateNamePointsToUploadVersionWhichAddsOne) {
  api_.AddPipeline("churn");
  const ProcessResult duplicate =
      Kfp({"pipeline", "upload", "--file", pipeline_file_, "--name", "churn"});
  EXPECT_EQ(duplicate.exit_code, 3);
  EXPECT_THAT(duplicate.err,
              HasSubstr("a pipeline named \"churn\" exists (id p-1); upload a new version of it "
                        "instead with `kfp-eventd kfp pipeline upload-version`"));
  EXPECT_TRUE(Posts("/apis/v1beta1/pipelines/upload").empty());

  const ProcessResult version =
      Kfp({"pipeline", "upload-version", "--file", pipeline_file_, "--pipeline-name", "churn",
           "--version-name", "build-42", "-o", "json"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, R"({"kf_pipeline_id":"p-1","kf_pipeline_version_id":"v-2",)"
                         R"("kf_pipeline_version_name":"build-42"})"
                         "\n");
  EXPECT_EQ(Posts("/apis/v1beta1/pipelines/upload_version").at(0).Param("pipelineid"), "p-1");
}

// A value with a newline must not end the logging command and start another.
TEST_F(KfpCliE2eTest, AzdoOutputEscapesValuesAsTheAgentUnescapesThem) {
  api_.AddPipeline("churn");
  const ProcessResult result =
      Kfp({"pipeline", "upload-version", "--file", pipeline_file_, "--pipeline-name", "churn",
           "--version-name", "v1\n##vso[task.setvariable variable=evil]100%\r", "-o", "azdo"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("##vso[task.setvariable variable=kf_pipeline_version_name;isOutput=true]"
                        "v1%0A##vso[task.setvariable variable=evil]100%AZP25%0D\n"));
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 3) << result.out;
}

// Flags are checked before the first request, so a bad one never leaves a run behind.
TEST_F(KfpCliE2eTest, BadWaitFlagsAreRefusedBeforeAnythingIsCreated) {
  api_.AddPipeline("churn");
  const std::size_t before = api_.Requests().size();
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--interval", "0s"},
                                              {"--interval", "soon"},
                                              {"--timeout", "-1h"}}) {
    std::vector<std::string> args = {
        "run", "create", "--name", "nightly", "--pipeline-name", "churn", "--experiment-name",
        "ci",  "--wait"};
    args.insert(args.end(), bad.begin(), bad.end());
    const ProcessResult result = Kfp(args);
    EXPECT_EQ(result.exit_code, 2) << bad[0] << " " << bad[1];
    EXPECT_THAT(result.err, HasSubstr(bad[0])) << result.err;
    EXPECT_THAT(result.out, Not(HasSubstr("kf_run_id")));
  }
  const ProcessResult wait = Kfp({"run", "wait", "--run-id", "r-1", "--interval", "0s"});
  EXPECT_EQ(wait.exit_code, 2);
  EXPECT_EQ(api_.Requests().size(), before) << "a request was made";
}

TEST_F(KfpCliE2eTest, AMissingPipelineIsAFailedCommand) {
  const ProcessResult result =
      Kfp({"run", "create", "--name", "r", "--pipeline-name", "nope", "--experiment-name", "ci"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.err, HasSubstr("kfp-eventd kfp run create: no pipeline named \"nope\""));
}

TEST_F(KfpCliE2eTest, AnExperimentIsCreatedOnceAndThenReused) {
  const ProcessResult first = Kfp({"experiment", "create", "--name", "ci"});
  const ProcessResult second = Kfp({"experiment", "create", "--name", "ci"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "kf_experiment_id: e-1\n");
  EXPECT_EQ(second.out, first.out);
  EXPECT_EQ(Posts("/apis/v1beta1/experiments").size(), 1u);
}

TEST_F(KfpCliE2eTest, RunsTakeParametersInBothFormsAndWaitToSuccess) {
  api_.AddPipeline("churn");
  api_.SetRunProgress({"", "Running", "Running", "Succeeded"});
  for (const std::string params : {R"({"name":"epochs","value":"3"},{"name":"lr","value":"0.1"})",
                                   R"([{"name":"epochs","value":"3"},{"name":"lr","value":"0.1"}])",
                                   R"({"epochs":"3","lr":0.1})"}) {
    const ProcessResult result =
        Kfp({"run", "create", "--name", "nightly", "--pipeline-name", "churn", "--experiment-name",
             "ci", "--params", params, "--wait", "--interval", "10ms", "-o", "azdo"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("variable=kf_run_status;isOutput=true]Succeeded\n"));
    const std::string body = Posts("/apis/v1beta1/runs").back().body;
    EXPECT_THAT(body, HasSubstr(R"("parameters":[{"name":"epochs","value":"3"},)"
                                R"({"name":"lr","value":"0.1"}])"))
        << params;
    EXPECT_THAT(body, HasSubstr(R"({"key":{"type":"PIPELINE_VERSION","id":"p-1"},)"
                                R"("relationship":"CREATOR"})"));
  }
}

TEST_F(KfpCliE2eTest, AFailedRunAndATimeoutHaveTheirOwnExitCodes) {
  api_.AddPipeline("churn");
  api_.SetRunProgress({"Running", "Failed"});
  const ProcessResult failed = Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn",
                                    "--experiment-name", "ci", "--wait", "--interval", "10ms"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_THAT(failed.out, HasSubstr("kf_run_status: Failed"));
  EXPECT_THAT(failed.err, HasSubstr("run r-3 ended Failed"));

  api_.SetRunProgress({"Running"});
  const ProcessResult timed_out =
      Kfp({"run", "wait", "--run-id", "r-3", "--interval", "10ms", "--timeout", "100ms"});
  EXPECT_EQ(timed_out.exit_code, 4) << timed_out.err;
  EXPECT_THAT(timed_out.err, HasSubstr("did not finish within"));
  EXPECT_EQ(Kfp({"run", "get", "--run-id", "r-3"}).out, "kf_run_id: r-3\nkf_run_status: Running\n");
}

TEST_F(KfpCliE2eTest, AzdoCallbackPassesTheJobsVariablesAsTheCallbackParameter) {
  api_.AddPipeline("churn");
  const std::vector<std::string> env = {
      "SYSTEM_JOBID=job-1",           "SYSTEM_HOSTTYPE=build",
      "SYSTEM_TASKINSTANCEID=task-2", "SYSTEM_PLANID=plan-3",
      "SYSTEM_TEAMPROJECTID=proj-4",  "SYSTEM_COLLECTIONURI=https://dev.azure.com/org/",
      "SYSTEM_ACCESSTOKEN=azdo-T0KEN"};
  const ProcessResult result = Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn",
                                    "--experiment-name", "ci", "--azdo-callback"},
                                   env);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(Posts("/apis/v1beta1/runs").at(0).body,
              HasSubstr(R"({"name":"azdocallbackinfo","value":"{'JobId': 'job-1', 'HubName': )"
                        R"('build', 'TaskInstanceId': 'task-2', 'PlanId': 'plan-3', 'ProjectId': )"
                        R"('proj-4', 'PlanUri': 'https://dev.azure.com/org/', 'AuthToken': )"
                        R"('azdo-T0KEN'}"})"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("azdo-T0KEN")));

  const ProcessResult missing = Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn",
                                     "--experiment-name", "ci", "--azdo-callback"},
                                    {"SYSTEM_JOBID=job-1"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--azdo-callback: the Azure DevOps callback needs the "
                                     "variables SYSTEM_HOSTTYPE, SYSTEM_TASKINSTANCEID"));
}

TEST_F(KfpCliE2eTest, AWrongTokenAndServerErrorsAreHandledAsTheyShouldBe) {
  api_.RequireToken("another");
  const ProcessResult refused = Kfp({"experiment", "create", "--name", "ci"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("HTTP 401: Unauthorized: a valid bearer token is required "
                                     "(check the token"));
  api_.RequireToken(kToken);
  api_.FailNext(503, 2);  // two 503s, then the answer: within the three attempts
  const ProcessResult retried = Kfp({"experiment", "create", "--name", "ci"});
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(retried.out, "kf_experiment_id: e-1\n");
}

TEST_F(KfpCliE2eTest, AFileOver32MegabytesIsRefusedBeforeSending) {
  const std::string big = (dir_.path() / "big.tar.gz").string();
  std::filesystem::resize_file(dir_.Write("big.tar.gz", "x"), 33 * 1024 * 1024);
  const ProcessResult result = Kfp({"pipeline", "upload", "--file", big, "--name", "big"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.err, HasSubstr("bytes; the API takes at most 32 MB"));
  EXPECT_TRUE(api_.UploadedFiles().empty());
}

TEST_F(KfpCliE2eTest, SpeaksV2beta1WhenAsked) {
  api_.SpeakKfp2();
  const ProcessResult upload = Kfp({"pipeline", "upload", "--api", "v2beta1", "--file",
                                    pipeline_file_, "--name", "churn", "-o", "json"});
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  EXPECT_EQ(upload.out,
            R"({"kf_pipeline_id":"p-1","kf_pipeline_name":"churn","kf_pipeline_version_id":"v-2"})"
            "\n");
  api_.SetRunProgress({"", "Running", "Failed"});
  const ProcessResult run =
      Kfp({"run", "create", "--api", "v2beta1", "--name", "n", "--pipeline-name", "churn",
           "--experiment-name", "ci", "--params", R"({"epochs":"3"})", "--wait", "--interval",
           "10ms", "-o", "azdo"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_THAT(run.out, HasSubstr("variable=kf_run_status;isOutput=true]Failed\n"));
  const std::vector<RecordedRequest> runs = Posts("/apis/v2beta1/runs");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_THAT(runs[0].body, HasSubstr(R"("experiment_id":"e-3","pipeline_version_reference":)"
                                      R"({"pipeline_id":"p-1","pipeline_version_id":"v-2"},)"
                                      R"("runtime_config":{"parameters":{"epochs":"3"}})"));
  EXPECT_EQ(Posts("/apis/v2beta1/experiments").at(0).body,
            R"({"display_name":"ci","description":""})");
}

// KFP 2.0 to 2.5 give v2beta1 objects a display_name only: pipelines and versions are still found
// by name, and their names still come out.
TEST_F(KfpCliE2eTest, Kfp20ObjectsWithADisplayNameOnlyAreFoundAndNamed) {
  api_.SpeakKfp20();
  const ProcessResult upload = Kfp({"pipeline", "upload", "--api", "v2beta1", "--file",
                                    pipeline_file_, "--name", "churn", "-o", "json"});
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  EXPECT_THAT(upload.out, HasSubstr(R"("kf_pipeline_name":"churn")"));
  const ProcessResult version =
      Kfp({"pipeline", "upload-version", "--api", "v2beta1", "--file", pipeline_file_,
           "--pipeline-name", "churn", "--version-name", "build-7", "-o", "json"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, R"({"kf_pipeline_id":"p-1","kf_pipeline_version_id":"v-3",)"
                         R"("kf_pipeline_version_name":"build-7"})"
                         "\n");
  const ProcessResult run =
      Kfp({"run", "create", "--api", "v2beta1", "--name", "n", "--pipeline-name", "churn",
           "--version-name", "build-7", "--experiment-name", "ci", "-o", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(R"("kf_pipeline_version_id":"v-3")"));
}

// KFP 2.x checks each parameter against the type the pipeline declares and refuses "3" for an
// integer: the values are sent as their declared types, however the CI tool wrote them.
TEST_F(KfpCliE2eTest, V2ParametersAreSentAsTheTypesThePipelineDeclares) {
  api_.SpeakKfp2();
  api_.AddPipeline("churn");
  api_.DeclareParameters({{"epochs", "NUMBER_INTEGER"},
                          {"lr", "NUMBER_DOUBLE"},
                          {"gpu", "BOOLEAN"},
                          {"dataset", "STRING"},
                          {"layers", "LIST"},
                          {"options", "STRUCT"}});
  const ProcessResult run =
      Kfp({"run", "create", "--api", "v2beta1", "--name", "n", "--pipeline-name", "churn",
           "--experiment-name", "ci", "--params",
           R"({"epochs":"3","lr":0.5,"gpu":"True","dataset":"gs://d/1.csv","layers":"[64, 32]",)"
           R"("options":{"dropout":0.1}})",
           "-o", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<RecordedRequest> runs = Posts("/apis/v2beta1/runs");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_THAT(
      runs[0].body,
      HasSubstr(R"("runtime_config":{"parameters":{"epochs":3,"lr":0.5,"gpu":true,)"
                R"("dataset":"gs://d/1.csv","layers":[64,32],"options":{"dropout":0.1}}})"));
}

TEST_F(KfpCliE2eTest, AValueNotOfItsDeclaredTypeIsRefusedBeforeAnythingIsCreated) {
  api_.SpeakKfp2();
  api_.AddPipeline("churn");
  api_.DeclareParameters({{"epochs", "NUMBER_INTEGER"}, {"gpu", "BOOLEAN"}});
  for (const auto& [params, why] : std::vector<std::pair<std::string, std::string>>{
           {R"({"epochs":"three"})",
            "parameter epochs: \"three\" is not an integer (the pipeline declares it "
            "NUMBER_INTEGER)"},
           {R"({"epochs":"2.5"})", "\"2.5\" is not an integer"},
           {R"({"gpu":"yes"})", "\"yes\" is not true or false"},
           {R"({"epoch":"3"})",
            "parameter epoch: the pipeline does not declare it, and KFP 2.x "
            "refuses what it does not declare (it declares: epochs, gpu)"}}) {
    const ProcessResult run =
        Kfp({"run", "create", "--api", "v2beta1", "--name", "n", "--pipeline-name", "churn",
             "--experiment-name", "ci", "--params", params});
    EXPECT_EQ(run.exit_code, 2) << params << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr(why));
  }
  for (const RecordedRequest& request : api_.Requests()) {
    EXPECT_EQ(request.method, "GET") << request.method << " " << request.path;
  }
}

// The server acts, then its answer is lost (a 503): retrying blindly would start a second run or
// upload a second pipeline. The client looks first, finds what was made, and adopts it.
TEST_F(KfpCliE2eTest, ALostAnswerNeverCreatesTwice) {
  for (const bool v2 : {false, true}) {
    FakeKfpApi api;
    api.RequireToken(kToken);
    if (v2) api.SpeakKfp2();
    const auto kfp = [&](std::vector<std::string> args) { return Kfp(args, {}, api.Url()); };
    api.LoseNextAnswers(1);
    const ProcessResult upload =
        kfp({"pipeline", "upload", "--file", pipeline_file_, "--name", "churn", "-o", "json"});
    ASSERT_EQ(upload.exit_code, 0) << upload.err;
    EXPECT_THAT(upload.out, HasSubstr(R"("kf_pipeline_id":"p-1")"));
    EXPECT_THAT(upload.err,
                HasSubstr("pipeline p-1: the answer to its creation was lost (HTTP 503"));
    EXPECT_EQ(api.UploadedFiles().size(), 1u);

    const ProcessResult experiment = kfp({"experiment", "create", "--name", "ci"});
    ASSERT_EQ(experiment.exit_code, 0) << experiment.err;
    api.LoseNextAnswers(1);
    const ProcessResult run = kfp({"run", "create", "--name", "nightly-7", "--pipeline-name",
                                   "churn", "--experiment-name", "ci", "-o", "json"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_EQ(api.Runs().size(), 1u) << (v2 ? "v2beta1" : "v1beta1");
    EXPECT_THAT(api.Runs()[0], ::testing::StartsWith("nightly-7@"));
    EXPECT_THAT(run.out, HasSubstr(R"("kf_run_id":"r-)"));
    EXPECT_THAT(run.err, HasSubstr("found it and adopted it instead of creating it again"));
  }
}

TEST_F(KfpCliE2eTest, GithubOutputsGoToTheFileGithubOutputNames) {
  api_.AddPipeline("churn");
  const std::string outputs = dir_.Write("github-output", "earlier=1\n");
  const ProcessResult run =
      Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn", "--experiment-name", "ci",
           "--wait", "--interval", "10ms", "-o", "github"},
          {"GITHUB_OUTPUT=" + outputs});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(*ReadFile(outputs),
            "earlier=1\nkf_pipeline_id=p-1\nkf_pipeline_version_id=p-1\nkf_experiment_id=e-2\n"
            "kf_run_id=r-3\nkf_run_status=Succeeded\n");
  EXPECT_EQ(run.out, "::notice title=kfp-eventd::run r-3\n");
  // Progress goes to stderr whatever the output format.
  EXPECT_THAT(run.err, HasSubstr("kfp-eventd: run r-3: Succeeded"));

  // A value with a line break uses GitHub's multiline syntax; a failure is an ::error::.
  const ProcessResult version =
      Kfp({"pipeline", "upload-version", "--file", pipeline_file_, "--pipeline-name", "churn",
           "--version-name", "v1\nv2", "-o", "github"},
          {"GITHUB_OUTPUT=" + outputs});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  const std::regex multiline(R"(kf_pipeline_version_name<<(ghadelimiter_[0-9]+)\nv1\nv2\n\1\n$)");
  EXPECT_TRUE(std::regex_search(*ReadFile(outputs), multiline)) << *ReadFile(outputs);
  const ProcessResult missing = Kfp({"run", "create", "--name", "n", "--pipeline-name", "nope",
                                     "--experiment-name", "ci", "-o", "github"},
                                    {"GITHUB_OUTPUT=" + outputs});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_EQ(missing.out, "::error title=kfp-eventd::no pipeline named \"nope\"\n");
}

TEST_F(KfpCliE2eTest, DotenvAndAzdoFailuresAsTheirCiSystemsReadThem) {
  api_.AddPipeline("churn");
  const ProcessResult dotenv = Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn",
                                    "--experiment-name", "ci", "-o", "dotenv"});
  ASSERT_EQ(dotenv.exit_code, 0) << dotenv.err;
  EXPECT_EQ(
      dotenv.out,
      "KF_PIPELINE_ID=p-1\nKF_PIPELINE_VERSION_ID=p-1\nKF_EXPERIMENT_ID=e-2\nKF_RUN_ID=r-3\n");
  // One value per line, whatever a name holds; JSON escapes it and says why a command failed.
  const ProcessResult version =
      Kfp({"pipeline", "upload-version", "--file", pipeline_file_, "--pipeline-name", "churn",
           "--version-name", "v1\nKF_RUN_ID=\"forged\"", "-o", "dotenv"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_THAT(version.out, HasSubstr("\nKF_PIPELINE_VERSION_NAME=v1 KF_RUN_ID=\"forged\"\n"));
  const ProcessResult json = Kfp({"run", "create", "--name", "n", "--pipeline-name", "nope",
                                  "--experiment-name", "ci", "-o", "json"});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_EQ(json.out, "{\"error\":\"no pipeline named \\\"nope\\\"\"}\n");
  const ProcessResult azdo = Kfp({"run", "create", "--name", "n", "--pipeline-name", "nope",
                                  "--experiment-name", "ci", "-o", "azdo"});
  EXPECT_EQ(azdo.exit_code, 3);
  EXPECT_EQ(azdo.out, "##vso[task.logissue type=error]no pipeline named \"nope\"\n");
}

// What the seed task does with "Create New Pipeline Run" unchecked: the ids, and no run.
TEST_F(KfpCliE2eTest, PipelineGetResolvesTheIdsWithoutStartingARun) {
  api_.AddPipeline("churn");
  ASSERT_EQ(Kfp({"pipeline", "upload-version", "--file", pipeline_file_, "--pipeline-name", "churn",
                 "--version-name", "build-9"})
                .exit_code,
            0);
  const ProcessResult named = Kfp(
      {"pipeline", "get", "--pipeline-name", "churn", "--version-name", "build-9", "-o", "json"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(named.out, R"({"kf_pipeline_id":"p-1","kf_pipeline_version_id":"v-2"})"
                       "\n");
  const ProcessResult fallback = Kfp({"pipeline", "get", "--pipeline-id", "p-1", "-o", "json"});
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_EQ(fallback.out, R"({"kf_pipeline_id":"p-1","kf_pipeline_version_id":"p-1"})"
                          "\n");
  const ProcessResult missing =
      Kfp({"pipeline", "get", "--pipeline-name", "churn", "--version-name", "nope"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("pipeline p-1 has no version named \"nope\""));
  EXPECT_TRUE(api_.Runs().empty());
}

// --api auto (the default) asks the server: a KFP 2.x server gets v2beta1, a KFP 1.x one v1beta1;
// --api v2beta1 against KFP 1.x says what is wrong instead of "HTTP 404".
TEST_F(KfpCliE2eTest, TheApiIsDetectedAndAV1ServerAskedForV2SaysSo) {
  const ProcessResult v1 = Kfp({"experiment", "create", "--name", "ci"});
  ASSERT_EQ(v1.exit_code, 0) << v1.err;
  EXPECT_EQ(Posts("/apis/v1beta1/experiments").size(), 1u);

  const ProcessResult refused = Kfp({"experiment", "create", "--api", "v2beta1", "--name", "ci"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("speaks v1beta1 only (KFP 1.x: /apis/v2beta1/healthz is not "
                                     "found); use --api v1beta1, or auto to detect it"));

  api_.SpeakKfp2();
  const ProcessResult v2 = Kfp({"experiment", "create", "--name", "ml"});
  ASSERT_EQ(v2.exit_code, 0) << v2.err;
  EXPECT_EQ(Posts("/apis/v2beta1/experiments").size(), 1u);
  EXPECT_EQ(Posts("/apis/v1beta1/experiments").size(), 1u);
}

// Multi-user Kubeflow: experiments live in the profile namespace (--namespace or KFP_NAMESPACE),
// in v1beta1's NAMESPACE reference or v2beta1's namespace field; one is reused only there.
TEST_F(KfpCliE2eTest, ExperimentsAndRunsLiveInTheProfileNamespace) {
  api_.AddPipeline("churn");  // shared, as pipelines are by default
  for (const bool v2 : {false, true}) {
    if (v2) api_.SpeakKfp2();
    const std::string ns = v2 ? "team-v2" : "team-v1";
    for (int i = 0; i < 2; ++i) {
      const ProcessResult result = Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn",
                                        "--experiment-name", "ci", "--namespace", ns});
      ASSERT_EQ(result.exit_code, 0) << result.err;
    }
    const ProcessResult other =
        Kfp({"experiment", "create", "--name", "ci"}, {"KFP_NAMESPACE=team-b" + ns});
    ASSERT_EQ(other.exit_code, 0) << other.err;
  }
  EXPECT_EQ(api_.Experiments(),
            (std::vector<std::string>{"ci@team-v1", "ci@team-bteam-v1", "ci@team-v2",
                                      "ci@team-bteam-v2"}));
  EXPECT_EQ(api_.Runs().size(), 4u);
  EXPECT_THAT(Posts("/apis/v2beta1/experiments").at(0).body, HasSubstr(R"("namespace":"team-v2")"));
  EXPECT_THAT(Posts("/apis/v1beta1/experiments").at(0).body,
              HasSubstr(R"({"key":{"type":"NAMESPACE","id":"team-v1"},"relationship":"OWNER"})"));
}

TEST_F(KfpCliE2eTest, ARunTakesADescription) {
  api_.AddPipeline("churn");
  for (const bool v2 : {false, true}) {
    if (v2) api_.SpeakKfp2();
    const ProcessResult result =
        Kfp({"run", "create", "--name", "n", "--pipeline-name", "churn", "--experiment-name", "ci",
             "--description", "nightly \"build\" 42"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(Posts(v2 ? "/apis/v2beta1/runs" : "/apis/v1beta1/runs").at(0).body,
                HasSubstr(R"("description":"nightly \"build\" 42")"));
  }
}

// The async task's inputs alone: a version id and an experiment id, the pipeline read from the
// version (KFP 2.x through its v1beta1 API, since v2beta1 finds versions only under a pipeline).
TEST_F(KfpCliE2eTest, AVersionIdAloneNamesItsPipeline) {
  api_.SpeakKfp2();
  api_.DeclareParameters({{"epochs", "NUMBER_INTEGER"}});
  const std::string pipeline = api_.AddPipeline("churn");
  ASSERT_EQ(Kfp({"pipeline", "upload-version", "--file", pipeline_file_, "--pipeline-id", pipeline,
                 "--version-name", "build-7"})
                .exit_code,
            0);
  const ProcessResult experiment = Kfp({"experiment", "create", "--name", "ci", "-o", "dotenv"});
  ASSERT_EQ(experiment.out, "KF_EXPERIMENT_ID=e-3\n");
  const ProcessResult run =
      Kfp({"run", "create", "--name", "n", "--version-id", "v-2", "--experiment-id", "e-3",
           "--params", R"({"epochs": "3"})", "-o", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, R"({"kf_pipeline_id":"p-1","kf_pipeline_version_id":"v-2",)"
                     R"("kf_experiment_id":"e-3","kf_run_id":"r-4"})"
                     "\n");
  EXPECT_THAT(Posts("/apis/v2beta1/runs").at(0).body,
              HasSubstr(R"("pipeline_version_reference":{"pipeline_id":"p-1",)"
                        R"("pipeline_version_id":"v-2"},"runtime_config":{"parameters":)"
                        R"({"epochs":3}})"));
  const ProcessResult get = Kfp({"pipeline", "get", "--version-id", "v-2", "-o", "dotenv"});
  EXPECT_EQ(get.out, "KF_PIPELINE_ID=p-1\nKF_PIPELINE_VERSION_ID=v-2\n");
  const ProcessResult unknown = Kfp({"pipeline", "get", "--version-id", "v-9"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_THAT(unknown.err, HasSubstr("pipeline version not found"));
}

}  // namespace
}  // namespace kfpevents
