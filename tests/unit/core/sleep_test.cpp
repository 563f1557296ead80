#include "core/sleep.hpp"

#include <gtest/gtest.h>

namespace kfpevents {
namespace {

TEST(SleepForTest, ReturnsFalseAtOnceWhenStopped) {
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(SleepFor(std::chrono::hours(1), stop.get_token()));
  EXPECT_TRUE(SleepFor(std::chrono::milliseconds(1), {}));
}

}  // namespace
}  // namespace kfpevents
