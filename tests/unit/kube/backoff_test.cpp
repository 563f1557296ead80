#include "kube/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

namespace kfpevents::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffTest, DoublesFromPointEightSecondsToThirtyWithFullJitter) {
  Backoff backoff(BackoffPolicy{}, 42);
  auto now = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  const std::vector<long> steps = {800, 1600, 3200, 6400, 12800, 25600, 30000, 30000};
  for (const long step : steps) {
    const milliseconds delay = backoff.NextDelay(now);
    EXPECT_EQ(backoff.step().count(), step);
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay.count(), step);
    now += seconds(1);
  }
}

TEST(BackoffTest, StartsOverAfterTwoHealthyMinutes) {
  Backoff backoff(BackoffPolicy{}, 1);
  auto now = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  backoff.NextDelay(now);
  backoff.NextDelay(now + seconds(1));
  EXPECT_EQ(backoff.step(), milliseconds(1600));
  backoff.NextDelay(now + seconds(1) + seconds(119));
  EXPECT_EQ(backoff.step(), milliseconds(3200));  // not yet two minutes
  backoff.NextDelay(now + seconds(120) + seconds(120));
  EXPECT_EQ(backoff.step(), milliseconds(800));
}

TEST(BackoffTest, JitterSpreadsTheDelays) {
  std::set<long> delays;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Backoff backoff(BackoffPolicy{}, seed);
    delays.insert(backoff.NextDelay(std::chrono::steady_clock::now()).count());
  }
  EXPECT_GT(delays.size(), 10u);  // full jitter: twenty clients do not retry in lockstep
}

}  // namespace
}  // namespace kfpevents::kube
