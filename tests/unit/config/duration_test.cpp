#include <gtest/gtest.h>

#include "kfpevents/config.hpp"

namespace kfpevents {
namespace {

using std::chrono::milliseconds;

TEST(ParseDurationTest, ReadsGoStyleDurations) {
  EXPECT_EQ(ParseDuration("0"), milliseconds(0));
  EXPECT_EQ(ParseDuration("90s"), milliseconds(90'000));
  EXPECT_EQ(ParseDuration("15m"), milliseconds(900'000));
  EXPECT_EQ(ParseDuration("1h30m"), milliseconds(5'400'000));
  EXPECT_EQ(ParseDuration("2d"), milliseconds(172'800'000));
  EXPECT_EQ(ParseDuration("250ms"), milliseconds(250));
}

TEST(ParseDurationTest, RejectsWhatIsNotADuration) {
  for (const char* text : {"", "10", "m", "1x", "1h-5m", " 1h", "99999999999999999d"}) {
    EXPECT_FALSE(ParseDuration(text)) << text;
  }
}

}  // namespace
}  // namespace kfpevents
