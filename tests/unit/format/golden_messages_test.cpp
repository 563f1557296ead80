// Golden messages: each built-in chat and paging format for a succeeded, a failed, a hostile and a
// crowded run, byte for byte (pretty-printed). tests/format/validate_schemas.sh checks the same
// files against Slack's and Microsoft's own definitions. KFPEVENTS_UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kfpevents/formatters.hpp"
#include "unit/format/run_ended.hpp"

namespace kfpevents {
namespace {

std::string Pretty(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  if (document.HasParseError()) return "not JSON: " + json;
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  document.Accept(writer);
  return std::string(buffer.GetString()) + "\n";
}

struct GoldenCase {
  const char* format;
  const char* run;
};

Notification RunOf(const std::string& run) {
  if (run == "succeeded") return testing::RunEnded(false);
  if (run == "failed") return testing::RunEnded(true);
  if (run == "hostile") return testing::HostileRunEnded();
  return testing::CrowdedRunEnded();
}

class GoldenMessageTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenMessageTest, MatchesTheGoldenFile) {
  const GoldenCase& golden = GetParam();
  TemplateOptions options = testing::kOptions;
  options.fields.emplace_back("routing_key", "R0UTING-KEY");
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeFormatter(golden.format, options);
  ASSERT_TRUE(formatter) << formatter.error().ToString();
  Result<Message> message = (*formatter)->Format(RunOf(golden.run));
  ASSERT_TRUE(message) << message.error().ToString();
  const std::string actual = Pretty(message->body);
  const std::string path = std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/format/golden/" +
                           golden.format + "-" + golden.run + ".json";
  if (std::getenv("KFPEVENTS_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << path << " is missing; KFPEVENTS_UPDATE_GOLDEN=1 writes it";
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

std::vector<GoldenCase> AllCases() {
  std::vector<GoldenCase> cases;
  for (const char* format : {"slack", "teams", "pagerduty"}) {
    for (const char* run : {"succeeded", "failed", "hostile", "crowded"}) {
      cases.push_back({format, run});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(BuiltinFormats, GoldenMessageTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return std::string(info.param.format) + "_" + info.param.run;
                         });

}  // namespace
}  // namespace kfpevents
