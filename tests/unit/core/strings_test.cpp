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

}  // namespace
}  // namespace kfpevents
