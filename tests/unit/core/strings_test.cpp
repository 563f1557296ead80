#include "core/strings.hpp"

#include <gtest/gtest.h>

namespace kfpevents {
namespace {

TEST(TrimTest, RemovesOnlyTheGivenCharactersAtBothEnds) {
  EXPECT_EQ(Trim("  http://x/ \r\n"), "http://x/");
  EXPECT_EQ(Trim(" a b "), "a b");
  EXPECT_EQ(Trim(" \t\n"), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("\n7\n", " \t"), "\n7\n");
}

TEST(PercentEncodeTest, EncodesWhatTheCallerDoesNotKeepAsUppercaseHex) {
  const auto letters = [](unsigned char byte) { return byte >= 'a' && byte <= 'z'; };
  EXPECT_EQ(PercentEncode("ab c/\xff", letters), "ab%20c%2F%FF");
  EXPECT_EQ(PercentEncode("", letters), "");
}

TEST(ShortenTest, CutsLongTextAtACharacterAndMarksTheCut) {
  EXPECT_EQ(Shorten("abc", 3), "abc");
  EXPECT_EQ(Shorten("abcd", 3), "ab\u2026");
  EXPECT_EQ(Shorten("", 3), "");
  EXPECT_EQ(Shorten("abc", 0), "");
  // "é" and "😀" are one character each, two and four bytes: never split.
  EXPECT_EQ(Shorten("\u00e9\u00e9\u00e9", 3), "\u00e9\u00e9\u00e9");
  EXPECT_EQ(Shorten("\u00e9\u00e9\u00e9\u00e9", 3), "\u00e9\u00e9\u2026");
  EXPECT_EQ(Shorten("\U0001F600\U0001F600x", 2), "\U0001F600\u2026");
}

}  // namespace
}  // namespace kfpevents
