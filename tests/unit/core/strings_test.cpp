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

}  // namespace
}  // namespace kfpevents
