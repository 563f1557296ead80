#include "kfp/create_once.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kfpevents::kfp {
namespace {

using ::testing::HasSubstr;

struct Made {
  std::string id;
  std::string adopted;
};

struct Counts {
  int creates = 0;
  int finds = 0;
};

// `create` answers each of `answers` in turn; `find` answers `found`.
Result<Made> CreateWith(Counts& counts, std::vector<Result<Made>> answers,
                        Result<std::optional<Made>> found, int attempts = 3) {
  return CreateOnce<Made>(
      attempts, "run \"n\"",
      [&]() -> Result<Made> { return answers.at(static_cast<std::size_t>(counts.creates++)); },
      [&]() -> Result<std::optional<Made>> {
        ++counts.finds;
        return found;
      });
}

TEST(CreateOnceTest, ASuccessIsNotLookedFor) {
  Counts counts;
  Result<Made> made = CreateWith(counts, {Made{"r-1", ""}}, std::optional<Made>());
  ASSERT_TRUE(made);
  EXPECT_EQ(made->adopted, "");
  EXPECT_EQ(counts.finds, 0);
}

TEST(CreateOnceTest, ALostAnswerAdoptsWhatTheServerMade) {
  Counts counts;
  Result<Made> made = CreateWith(counts, {Status::Unavailable("HTTP 503: reset")},
                                 std::optional<Made>(Made{"r-1", ""}));
  ASSERT_TRUE(made);
  EXPECT_EQ(made->id, "r-1");
  EXPECT_THAT(made->adopted, HasSubstr("the answer to its creation was lost (HTTP 503: reset)"));
  EXPECT_EQ(counts.creates, 1);
}

TEST(CreateOnceTest, CreatesAgainOnlyWhenNothingWasMade) {
  Counts counts;
  Result<Made> made =
      CreateWith(counts, {Status::Timeout("timed out"), Made{"r-2", ""}}, std::optional<Made>());
  ASSERT_TRUE(made);
  EXPECT_EQ(made->id, "r-2");
  EXPECT_EQ(counts.creates, 2);
  EXPECT_EQ(counts.finds, 1);
}

TEST(CreateOnceTest, WhenItCannotBeToldItSaysTheObjectMayExist) {
  Counts counts;
  Result<Made> made =
      CreateWith(counts, {Status::Unavailable("HTTP 502")}, Status::Unavailable("HTTP 502 again"));
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message(),
            "creating run \"n\" failed (HTTP 502) and whether the server acted cannot be told "
            "(HTTP 502 again): run \"n\" may exist; check before creating it again");
  EXPECT_EQ(counts.creates, 1);
}

TEST(CreateOnceTest, AClearRefusalIsReturnedWithoutLooking) {
  Counts counts;
  Result<Made> made =
      CreateWith(counts, {Status::Permanent("HTTP 400: bad")}, std::optional<Made>());
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message(), "HTTP 400: bad");
  EXPECT_EQ(counts.finds, 0);
}

TEST(CreateOnceTest, GivesUpAfterTheAttemptsWithTheLastLostAnswer) {
  Counts counts;
  Result<Made> made = CreateWith(counts, {Status::Unavailable("a"), Status::Unavailable("b")},
                                 std::optional<Made>(), /*attempts=*/2);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message(), "b");
  EXPECT_EQ(counts.creates, 2);
  EXPECT_EQ(counts.finds, 2);
}

}  // namespace
}  // namespace kfpevents::kfp
