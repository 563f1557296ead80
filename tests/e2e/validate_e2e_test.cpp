#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
