// The GitHub Action (ci/github-action): its entrypoint run as the runner runs a container action,
// with INPUT_* variables and $GITHUB_OUTPUT, on the real kfp-eventd against the fake KFP API;
// and its action.yml against the entrypoint and the project's Dockerfile.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "support/fake_kfp_api.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "typed_pipeline.hpp"

namespace kfpevents {
namespace {

namespace fs = std::filesystem;
using testing::FakeKfpApi;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ProcessResult;

const std::string kBinary = KFP_EVENTD_BINARY;
const fs::path kSourceDir = KFPEVENTS_SOURCE_DIR;
const fs::path kActionDir = kSourceDir / "ci" / "github-action";
constexpr const char* kToken = "kfp-T0KEN-S3CRET";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

class GithubActionTest : public ::testing::Test {
 protected:
  GithubActionTest() {
    testing::ServeTypedPipeline(api_);
    api_.RequireToken(kToken);
    output_file_ = dir_.Write("github_output", "");
  }

  // The entrypoint with `inputs` (name -> value, as action.yml names them) and the connection.
  ProcessResult RunAction(const std::map<std::string, std::string>& inputs) {
    std::vector<std::string> argv = {"/usr/bin/env",
                                     "INPUT_ENDPOINT=" + api_.Url(),
                                     std::string("INPUT_TOKEN=") + kToken,
                                     "GITHUB_OUTPUT=" + output_file_,
                                     "GITHUB_WORKSPACE=" + dir_.path().string(),
                                     "KFP_EVENTD=" + kBinary};
    for (const auto& [name, value] : inputs) {
      std::string upper = name;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      argv.push_back("INPUT_" + upper + "=" + value);
    }
    argv.insert(argv.end(), {"bash", (kActionDir / "entrypoint.sh").string()});
    ProcessResult result = testing::RunProcess(argv);
    // Masked for the log before anything else is printed; never printed otherwise.
    EXPECT_EQ(result.out.rfind(std::string("::add-mask::") + kToken + "\n", 0), 0u) << result.out;
    EXPECT_THAT(result.out.substr(result.out.find('\n') + 1) + result.err, Not(HasSubstr(kToken)));
    return result;
  }

  std::string Outputs() const { return ReadText(output_file_); }

  FakeKfpApi api_;
  testing::TempDir dir_;
  std::string output_file_;
};

// The done criterion: a KFP 2.x pipeline with integer, float, boolean and string parameters.
TEST_F(GithubActionTest, UploadsThenRunsATypedV2PipelineAndSetsTheStepOutputs) {
  dir_.Write("pipeline.yaml", "pipelineInfo: {name: churn}\n");
  const ProcessResult upload = RunAction(
      {{"command", "upload"}, {"pipeline_file", "pipeline.yaml"}, {"pipeline_name", "churn"}});
  ASSERT_EQ(upload.exit_code, 0) << upload.out << upload.err;
  EXPECT_THAT(Outputs(), HasSubstr("kf_pipeline_id=p-1\n"));

  api_.SetRunProgress({"Running", "Succeeded"});
  const ProcessResult run = RunAction({{"pipeline_name", "churn"},
                                       {"experiment_name", "ci"},
                                       {"run_name", "gh-42"},
                                       {"params", testing::kTypedParamsObject},
                                       {"interval", "10ms"}});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(Outputs(), HasSubstr("kf_run_id=r-4\n"));
  EXPECT_THAT(Outputs(), HasSubstr("kf_run_status=Succeeded\n"));
  EXPECT_THAT(run.out, HasSubstr("::notice"));
  EXPECT_THAT(testing::LastRunBody(api_), HasSubstr(testing::kTypedRunParameters));
  EXPECT_EQ(api_.Runs(), std::vector<std::string>{"gh-42@e-3"});
}

TEST_F(GithubActionTest, AFailedRunFailsTheStepAndStillNamesTheRun) {
  api_.AddPipeline("churn");
  api_.SetRunProgress({"Running", "Failed"});
  const ProcessResult run = RunAction({{"pipeline_name", "churn"},
                                       {"experiment_name", "ci"},
                                       {"run_name", "gh-43"},
                                       {"interval", "10ms"}});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("::error title=kfp-eventd::run r-3 ended Failed"));
  EXPECT_THAT(Outputs(), HasSubstr("kf_run_id=r-3\n"));
  EXPECT_THAT(Outputs(), HasSubstr("kf_run_status=Failed\n"));
}

TEST_F(GithubActionTest, MissingInputsAreNamedBeforeAnythingIsAsked) {
  const ProcessResult no_name = RunAction({{"pipeline_name", "churn"}, {"experiment_name", "ci"}});
  EXPECT_EQ(no_name.exit_code, 2);
  EXPECT_THAT(no_name.out,
              HasSubstr("::error title=kfp-eventd::the input run_name is required for command run"));
  const ProcessResult no_pipeline = RunAction({{"run_name", "r"}, {"experiment_name", "ci"}});
  EXPECT_EQ(no_pipeline.exit_code, 2);
  EXPECT_THAT(no_pipeline.out, HasSubstr("the input pipeline_name or pipeline_id is required"));
  const ProcessResult unknown = RunAction({{"command", "deploy"}});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.out, HasSubstr("unknown command \"deploy\""));
  EXPECT_TRUE(api_.Requests().empty());
}

// action.yml declares every input the entrypoint reads and exactly the kf_* outputs kfp-eventd
// sets; its image is the project's Dockerfile, which installs the entrypoint where it says.
TEST(GithubActionManifestTest, DeclaresWhatTheEntrypointReadsAndBuildsFromTheProjectImage) {
  const YAML::Node action = YAML::LoadFile((kActionDir / "action.yml").string());
  std::set<std::string> inputs;
  for (const auto& input : action["inputs"]) inputs.insert(input.first.as<std::string>());
  const std::string script = ReadText((kActionDir / "entrypoint.sh").string());
  static const std::regex kRead(R"(INPUT_([A-Z_]+))");
  std::set<std::string> read;
  for (std::sregex_iterator it(script.begin(), script.end(), kRead), end; it != end; ++it) {
    std::string name = (*it)[1].str();
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    read.insert(name);
  }
  static const std::regex kNamed(R"((?:need|optional --[a-z-]+) ([a-z_ ]+))");
  for (std::sregex_iterator it(script.begin(), script.end(), kNamed), end; it != end; ++it) {
    std::istringstream names((*it)[1].str());
    for (std::string name; names >> name;) read.insert(name);
  }
  for (const std::string& name : read) EXPECT_EQ(inputs.count(name), 1u) << name;
  for (const std::string& name : inputs) EXPECT_EQ(read.count(name), 1u) << "unused: " << name;

  std::set<std::string> outputs;
  for (const auto& output : action["outputs"]) outputs.insert(output.first.as<std::string>());
  EXPECT_EQ(outputs, (std::set<std::string>{"kf_pipeline_id", "kf_pipeline_name",
                                            "kf_pipeline_version_id", "kf_pipeline_version_name",
                                            "kf_experiment_id", "kf_run_id", "kf_run_status"}));

  EXPECT_EQ(action["runs"]["using"].as<std::string>(), "docker");
  const fs::path dockerfile =
      fs::weakly_canonical(kActionDir / action["runs"]["image"].as<std::string>());
  EXPECT_EQ(dockerfile, fs::weakly_canonical(kSourceDir / "Dockerfile"));
  const std::string recipe = ReadText(dockerfile.string());
  EXPECT_THAT(recipe, HasSubstr("COPY ci/github-action/entrypoint.sh " +
                                action["runs"]["entrypoint"].as<std::string>()));
}

}  // namespace
}  // namespace kfpevents
