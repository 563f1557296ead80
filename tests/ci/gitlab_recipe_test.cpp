// The GitLab recipe (ci/gitlab/kfp.gitlab-ci.yml) run as GitLab runs it: each job's script in a
// shell with the file's variables, GitLab's predefined ones and the earlier jobs' dotenv reports,
// on the real kfp-eventd against the fake KFP API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>

#include "support/fake_kfp_api.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "typed_pipeline.hpp"

namespace kfpevents {
namespace {

namespace fs = std::filesystem;
using testing::FakeKfpApi;
using ::testing::HasSubstr;
using testing::ProcessResult;

const fs::path kBinary = KFP_EVENTD_BINARY;
const fs::path kRecipe = KFPEVENTS_SOURCE_DIR "/ci/gitlab/kfp.gitlab-ci.yml";
constexpr const char* kToken = "kfp-T0KEN-S3CRET";

using Variables = std::map<std::string, std::string>;

class GitlabRecipeTest : public ::testing::Test {
 protected:
  GitlabRecipeTest() : recipe_(YAML::LoadFile(kRecipe.string())) {
    testing::ServeTypedPipeline(api_);
    api_.RequireToken(kToken);
    dir_.Write("pipeline.yaml", "pipelineInfo: {name: churn}\n");
    for (const auto& variable : recipe_["variables"]) {
      variables_[variable.first.as<std::string>()] = variable.second.as<std::string>();
    }
    // What the project's CI/CD settings and GitLab itself provide.
    variables_["KFP_ENDPOINT"] = api_.Url();
    variables_["KFP_TOKEN"] = kToken;
    variables_["CI_COMMIT_SHORT_SHA"] = "1a2b3c4d";
    variables_["CI_PIPELINE_IID"] = "77";
    variables_["KFP_POLL_INTERVAL"] = "10ms";  // a setting of the project's, like any variable
    // The image has kfp-eventd on its PATH.
    variables_["PATH"] = kBinary.parent_path().string() + ":/usr/bin:/bin";
  }

  // Runs job `name`'s script in the project folder, as `sh -e`, then adds its dotenv report
  // to the variables of later jobs.
  ProcessResult RunJob(const std::string& name) {
    const YAML::Node job = recipe_[name];
    std::string script = "cd '" + dir_.path().string() + "'\n";
    for (const auto& line : job["script"]) script += line.as<std::string>() + "\n";
    std::vector<std::string> argv = {"/usr/bin/env", "-i"};
    for (const auto& [key, value] : variables_) argv.push_back(key + "=" + value);
    argv.insert(argv.end(), {"sh", "-ec", script});
    ProcessResult result = testing::RunProcess(argv);
    const std::string report = job["artifacts"]["reports"]["dotenv"].as<std::string>();
    for (const std::string& line : testing::ReadLines((dir_.path() / report).string())) {
      const std::size_t equals = line.find('=');
      if (equals != std::string::npos) variables_[line.substr(0, equals)] = line.substr(equals + 1);
    }
    return result;
  }

  YAML::Node recipe_;
  FakeKfpApi api_;
  testing::TempDir dir_;
  Variables variables_;
};

// The done criterion: a KFP 2.x pipeline with integer, float, boolean and string parameters,
// uploaded in one job and run in the next, with the ids passed by dotenv.
TEST_F(GitlabRecipeTest, UploadsAVersionThenRunsItTypedAndReportsTheRun) {
  api_.AddPipeline("churn");
  api_.SetRunProgress({"Running", "Succeeded"});
  const ProcessResult upload = RunJob("kfp-upload");
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  EXPECT_EQ(variables_["KF_PIPELINE_VERSION_NAME"], "1a2b3c4d-77");
  const ProcessResult run = RunJob("kfp-run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(variables_["KF_PIPELINE_VERSION_ID"], "v-2");
  EXPECT_EQ(variables_["KF_RUN_ID"], "r-4");
  EXPECT_EQ(variables_["KF_RUN_STATUS"], "Succeeded");
  EXPECT_EQ(api_.Runs(), std::vector<std::string>{"ci-77@e-3"});
  EXPECT_THAT(testing::LastRunBody(api_), HasSubstr(testing::kTypedRunParameters));
  EXPECT_THAT(testing::LastRunBody(api_),
              HasSubstr(R"("pipeline_version_reference":{"pipeline_id":"p-1",)"
                        R"("pipeline_version_id":"v-2"})"));
}

// A failed run fails the job, and its report (kept `when: always`) still names the run.
TEST_F(GitlabRecipeTest, AFailedRunFailsTheJobAndReportsTheRun) {
  api_.AddPipeline("churn");
  api_.SetRunProgress({"Running", "Failed"});
  ASSERT_EQ(RunJob("kfp-upload").exit_code, 0);
  const ProcessResult run = RunJob("kfp-run");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("ended Failed"));
  EXPECT_EQ(variables_["KF_RUN_STATUS"], "Failed");
  EXPECT_EQ(recipe_["kfp-run"]["artifacts"]["when"].as<std::string>(), "always");
}

}  // namespace
}  // namespace kfpevents
