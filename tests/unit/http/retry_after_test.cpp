#include "http/retry_after.hpp"

#include <gtest/gtest.h>

namespace kfpevents::http {
namespace {

using std::chrono::seconds;

const auto kNow = std::chrono::system_clock::from_time_t(1795417200);  // 2026-11-23T07:00:00Z

TEST(RetryAfterTest, ReadsDelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999", kNow), seconds::max());
}

TEST(RetryAfterTest, ReadsAllThreeHttpDateForms) {
  EXPECT_EQ(ParseRetryAfter("Mon, 23 Nov 2026 07:01:30 GMT", kNow), seconds(90));
  EXPECT_EQ(ParseRetryAfter("Monday, 23-Nov-26 07:01:30 GMT", kNow), seconds(90));
  EXPECT_EQ(ParseRetryAfter("Mon Nov 23 07:01:30 2026", kNow), seconds(90));
}

TEST(RetryAfterTest, ADateInThePastMeansNow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 22 Nov 2026 07:00:00 GMT", kNow), seconds(0));
}

// Found by fuzzing (tests/fuzz/regressions/retry_after/): a date millions of years ahead
// overflowed the nanoseconds of a system_clock time.
TEST(RetryAfterTest, ADateFarAheadIsAVeryLongWaitNotAnOverflow) {
  const std::optional<seconds> wait = ParseRetryAfter("Oct 11211120:28", kNow);
  if (wait) EXPECT_GT(*wait, seconds(0));  // whatever curl makes of it, never negative
  EXPECT_EQ(ParseRetryAfter("Fri, 01 Jan 9999 00:00:00 GMT", kNow),
            seconds(253370764800 - 1795417200));
}

TEST(RetryAfterTest, RejectsEverythingElse) {
  for (const char* bad : {"", "  ", "-5", "1.5", "soon", "12abc"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, kNow).has_value()) << bad;
  }
}

}  // namespace
}  // namespace kfpevents::http
