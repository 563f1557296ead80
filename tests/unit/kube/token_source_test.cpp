#include "kube/token_source.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.hpp"

namespace kfpevents::kube {
namespace {

using testing::TempDir;

TEST(TokenSourceTest, AStaticTokenNeverChanges) {
  TokenSource tokens("static", "");
  EXPECT_EQ(tokens.Current(), "static");
  EXPECT_FALSE(tokens.Refresh());
  EXPECT_EQ(tokens.Current(), "static");
}

TEST(TokenSourceTest, TheFileWinsAndIsReReadOnRefresh) {
  TempDir dir;
  const std::string file = dir.Write("token", "first\n");
  TokenSource tokens("static", file, std::chrono::hours(1));
  EXPECT_EQ(tokens.Current(), "first");  // trimmed
  dir.Write("token", "second");
  EXPECT_EQ(tokens.Current(), "first");  // not yet an hour old
  EXPECT_TRUE(tokens.Refresh());
  EXPECT_EQ(tokens.Current(), "second");
}

TEST(TokenSourceTest, ReReadsOnceTheIntervalPassed) {
  TempDir dir;
  const std::string file = dir.Write("token", "first");
  TokenSource tokens("", file, std::chrono::seconds(0));
  dir.Write("token", "rotated");
  EXPECT_EQ(tokens.Current(), "rotated");
}

TEST(TokenSourceTest, KeepsTheLastTokenWhileTheFileIsBeingSwapped) {
  TempDir dir;
  const std::string file = dir.Write("token", "kept");
  TokenSource tokens("", file, std::chrono::seconds(0));
  std::filesystem::remove(file);
  EXPECT_EQ(tokens.Current(), "kept");
}

}  // namespace
}  // namespace kfpevents::kube
