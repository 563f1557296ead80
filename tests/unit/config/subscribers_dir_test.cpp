#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "kfpevents/config.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(SubscribersDirTest, ReadsOneUrlPerFileLikeAMountedConfigMap) {
  testing::TempDir dir;
  // Kubernetes' layout: real files in a hidden timestamped folder, "..data" pointing at it, and
  // a visible symlink per key through "..data".
  dir.Write("..2026_11_23_07_00_00.123/teams", "  https://hooks.example.com/teams \n");
  dir.Write("..2026_11_23_07_00_00.123/ci", "http://ci.local/done");
  fs::create_directory_symlink("..2026_11_23_07_00_00.123", dir.path() / "..data");
  fs::create_symlink("..data/teams", dir.path() / "teams");
  fs::create_symlink("..data/ci", dir.path() / "ci");
  dir.Write(".hidden", "not a url");

  Result<std::vector<SubscriberConfig>> subscribers = LoadSubscribersDir(dir.path().string());
  ASSERT_TRUE(subscribers) << subscribers.error().message();
  ASSERT_EQ(subscribers->size(), 2u);
  EXPECT_EQ((*subscribers)[0].name, "ci");
  EXPECT_EQ((*subscribers)[0].url, "http://ci.local/done");
  EXPECT_EQ((*subscribers)[1].name, "teams");
  EXPECT_EQ((*subscribers)[1].url, "https://hooks.example.com/teams");
  EXPECT_EQ((*subscribers)[1].format, "kfp");
}

TEST(SubscribersDirTest, ReportsEveryBadFileByName) {
  testing::TempDir dir;
  dir.Write("empty", " \n");
  dir.Write("two-urls", "http://a.local/x http://b.local/y");
  dir.Write("not-http", "mailto:ops@example.com");
  dir.Write("good", "http://good.local/");
  Result<std::vector<SubscriberConfig>> subscribers = LoadSubscribersDir(dir.path().string());
  ASSERT_FALSE(subscribers);
  const std::string problems = subscribers.error().message();
  EXPECT_THAT(problems, HasSubstr(": empty: is empty; it must hold one webhook URL"));
  EXPECT_THAT(problems, HasSubstr(": two-urls: must hold exactly one URL"));
  EXPECT_THAT(problems, HasSubstr(": not-http: "));
  EXPECT_THAT(problems, ::testing::Not(HasSubstr("good")));
}

TEST(SubscribersDirTest, AMissingFolderIsNotFound) {
  EXPECT_EQ(LoadSubscribersDir("/nonexistent/subscribers").error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace kfpevents
