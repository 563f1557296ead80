#include "json/go_json.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace kfpevents::json {
namespace {

std::string Quote(std::string_view text) {
  std::string out;
  AppendGoString(out, text);
  return out;
}

TEST(GoJsonTest, PlainTextIsQuotedAsIs) {
  EXPECT_EQ(Quote("Succeeded node wf.step"), R"("Succeeded node wf.step")");
  EXPECT_EQ(Quote(""), R"("")");
  EXPECT_EQ(Quote("a/b"), R"("a/b")");  // Go does not escape '/'
}

TEST(GoJsonTest, EscapesQuotesBackslashesAndControlsLikeGo) {
  EXPECT_EQ(Quote("say \"hi\"\\"), R"("say \"hi\"\\")");
  EXPECT_EQ(Quote("a\nb\rc\td\be\ff"), R"("a\nb\rc\td\be\ff")");
  EXPECT_EQ(Quote(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
}

TEST(GoJsonTest, EscapesHtmlCharactersAndLineSeparatorsLikeGo) {
  EXPECT_EQ(Quote("<b>&</b>"), R"("\u003cb\u003e\u0026\u003c/b\u003e")");
  EXPECT_EQ(Quote("a\u2028b\u2029c"), R"("a\u2028b\u2029c")");
}

TEST(GoJsonTest, KeepsValidUtf8AndReplacesEachInvalidByte) {
  EXPECT_EQ(Quote("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80\"");
  EXPECT_EQ(Quote("a\xff"
                  "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(Quote("\xc3"), R"("\ufffd")");                                // truncated sequence
  EXPECT_EQ(Quote("\xc0\xaf"), R"("\ufffd\ufffd")");                      // overlong '/'
  EXPECT_EQ(Quote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");            // UTF-16 surrogate
  EXPECT_EQ(Quote("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
}

TEST(GoJsonTest, OutputIsAlwaysValidJsonThatRoundTrips) {
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes += static_cast<char>(c);
  const std::string quoted = Quote(all_bytes + "\"end\"");
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(quoted.c_str(), quoted.size());
  ASSERT_FALSE(document.HasParseError());
  ASSERT_TRUE(document.IsString());
  const std::string decoded(document.GetString(), document.GetStringLength());
  EXPECT_EQ(decoded.substr(0, 128), all_bytes.substr(0, 128));  // ASCII survives exactly
}

}  // namespace
}  // namespace kfpevents::json
