// kfp-eventd loading Tier 2 plugins: the example file sink, and a plugin whose deliver throws.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using testing::ReadLines;
using testing::RunProcess;

const std::string kBinary = KFP_EVENTD_BINARY;
const std::string kExampleEvents = std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl";

// A subscriber entry of type plugin; `settings` "" for none.
std::string PluginEntry(const std::string& name, const std::string& path,
                        const std::string& settings) {
  return "  - name: " + name + "\n    type: plugin\n    path: " + path + "\n" +
         (settings.empty() ? "" : "    settings: " + settings + "\n");
}

TEST(PluginE2eTest, TheExampleFileSinkReceivesEveryMessage) {
  testing::TempDir dir;
  const std::string out = (dir.path() / "runs.log").string();
  const std::string config = dir.Write(
      "kfp-eventd.yaml",
      "subscribers:\n" + PluginEntry("archive", FILE_SINK_PLUGIN, "{path: '" + out + "'}"));
  const auto validated = RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(validated.exit_code, 0) << validated.err;
  const auto result = RunProcess({kBinary, "replay", kExampleEvents, "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = ReadLines(out);
  const std::vector<std::string> expected =
      ReadLines(std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/kfp-runs.expected.jsonl");
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_THAT(lines[i], ::testing::MatchesRegex("msg_[0-9a-f]+ .*")) << i;
    EXPECT_EQ(lines[i].substr(lines[i].find(' ') + 1), expected[i]) << i;
  }
}

TEST(PluginE2eTest, BadSettingsAreAConfigErrorNamingThePlugin) {
  testing::TempDir dir;
  const std::string config =
      dir.Write("kfp-eventd.yaml", "subscribers:\n" + PluginEntry("archive", FILE_SINK_PLUGIN, ""));
  const auto result = RunProcess({kBinary, "replay", kExampleEvents, "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("subscriber \"archive\": plugin " FILE_SINK_PLUGIN
                                    " refused its settings: settings need `path`"));
}

TEST(PluginE2eTest, APluginThatThrowsLosesOnlyItsOwnMessages) {
  testing::TempDir dir;
  const std::string out = (dir.path() / "runs.log").string();
  const std::string config =
      dir.Write("kfp-eventd.yaml",
                "subscribers:\n" + PluginEntry("thrower", TEST_PLUGIN_GOOD, "{fail: throw}") +
                    PluginEntry("archive", FILE_SINK_PLUGIN, "{path: '" + out + "'}"));
  const auto result = RunProcess({kBinary, "replay", kExampleEvents, "--config", config});
  EXPECT_EQ(result.exit_code, 1) << result.err;  // not everything was delivered
  EXPECT_EQ(ReadLines(out).size(), 18U);
  EXPECT_THAT(result.err, HasSubstr("subscriber thrower: message msg_"));
  EXPECT_THAT(result.err,
              HasSubstr("failed permanently: plugin test-sink: the plugin threw: boom in deliver"));
}

}  // namespace
}  // namespace kfpevents
