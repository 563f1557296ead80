#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using testing::RunProcess;

const std::string kBinary = KFP_EVENTD_BINARY;

TEST(ValidateE2eTest, TheExampleConfigIsValid) {
  const auto result = RunProcess({kBinary, "validate", "--config",
                                  std::string(KFPEVENTS_EXAMPLES_DIR) + "/config/kfp-eventd.yaml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("valid: 3 subscribers"));
}

TEST(ValidateE2eTest, TheChainedPipelinesExampleIsValid) {
  testing::TempDir dir;
  // Its token file is a mounted Secret in a cluster; here, a file where the example says.
  const std::string config =
      std::string(KFPEVENTS_EXAMPLES_DIR) + "/config/chained-pipelines.yaml";
  const auto result = RunProcess({kBinary, "validate", "--config", config});
  // Everything but the token file (absent on this machine) is checked; nothing else is wrong.
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("subscriber \"evaluate-after-train\": cannot open tokenFile"));
  std::ifstream in(config);
  std::string text(std::istreambuf_iterator<char>(in), {});
  const std::string token = dir.Write("token", "t0ken\n");
  const std::string mounted = "/var/run/secrets/kubeflow/pipelines/token";
  for (std::size_t at; (at = text.find(mounted)) != std::string::npos;) {
    text.replace(at, mounted.size(), token);
  }
  const auto valid = RunProcess({kBinary, "validate", "--config", dir.Write("chain.yaml", text)});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  EXPECT_THAT(valid.out, HasSubstr("valid: 3 subscribers"));
}

TEST(ValidateE2eTest, PrintsEveryProblemWithFileLineAndKeyPath) {
  testing::TempDir dir;
  const std::string config = dir.Write("bad.yaml",
                                       "subscribers:\n"
                                       "  - name: a\n"
                                       "    url: not-a-url\n"
                                       "  - name: a\n"
                                       "    url: http://127.0.0.1/x\n"
                                       "    retries: 3\n");
  const auto result = RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr(config + ":3:10: subscribers[0].url: not a valid absolute URL"));
  EXPECT_THAT(result.err, HasSubstr(config + ":6:5: subscribers[1].retries: unknown key"));
  EXPECT_THAT(result.err, HasSubstr(config + ":4:11: subscribers[1].name: duplicate name \"a\""));
}

// Template mistakes are configuration errors, each with its place: an inline template's own line
// in the config, a template file's line in that file.
TEST(ValidateE2eTest, ReportsTemplateErrorsWithTheirLines) {
  testing::TempDir dir;
  const std::string file = dir.Write("body.json", "{\n  \"run\": \"{{runid}}\"\n}\n");
  const std::string config = dir.Write("templates.yaml",
                                       "subscribers:\n"
                                       "  - name: unclosed\n"
                                       "    url: https://chat.example/hook\n"
                                       "    template: |\n"
                                       "      {\"failed\": \"{{#failed_tasks}}{{name}}\"}\n"
                                       "  - name: raw\n"
                                       "    url: https://chat.example/hook\n"
                                       "    template: '{\"run\": \"{{{run_name}}}\"}'\n"
                                       "  - name: from-file\n"
                                       "    url: https://chat.example/hook\n"
                                       "    templateFile: " + file + "\n");
  const auto result = RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config + ":4:15: subscribers[0].template: the template does "
                                             "not parse: line 1, column"));
  EXPECT_THAT(result.err, HasSubstr("Unclosed section"));
  EXPECT_THAT(result.err, HasSubstr(config + ":8:15: subscribers[1].template: line 1, column 10: "
                                             "{{{run_name}}} would place \"run_name\" unescaped"));
  // The file's problems are found when the subscriptions are built, after the config's.
  const std::string fixed = dir.Write("fixed.yaml",
                                      "subscribers:\n"
                                      "  - name: from-file\n"
                                      "    url: https://chat.example/hook\n"
                                      "    templateFile: " + file + "\n");
  const auto built = RunProcess({kBinary, "validate", "--config", fixed});
  EXPECT_EQ(built.exit_code, 2);
  EXPECT_THAT(built.err, HasSubstr("subscriber \"from-file\": " + file +
                                   ": line 2, column 11: unknown field \"runid\""));
}

TEST(ValidateE2eTest, ReadsSecretFilesAndChecksSecretsWithoutPrintingThem) {
  testing::TempDir dir;
  const std::string config = dir.Write("signed.yaml",
                                       "subscribers:\n"
                                       "  - name: signed\n"
                                       "    url: https://ci.example/hook\n"
                                       "    secret: whsec_%%canary%%\n");
  const auto result = RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("subscriber \"signed\": the signing secret starts with whsec_"));
  EXPECT_THAT(result.err + result.out, ::testing::Not(HasSubstr("canary")));

  const std::string missing = dir.Write("missing.yaml",
                                        "subscribers:\n"
                                        "  - name: signed\n"
                                        "    url: https://ci.example/hook\n"
                                        "    secretFile: " +
                                            (dir.path() / "absent").string() + "\n");
  const auto unreadable = RunProcess({kBinary, "validate", "--config", missing});
  EXPECT_EQ(unreadable.exit_code, 2);
  EXPECT_THAT(unreadable.err, HasSubstr("cannot open secretFile"));
}

TEST(ValidateE2eTest, NeedsSomethingToValidate) {
  const auto result = RunProcess({kBinary, "validate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("give --config FILE"));
}

}  // namespace
}  // namespace kfpevents
