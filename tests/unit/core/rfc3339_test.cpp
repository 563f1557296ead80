#include "core/rfc3339.hpp"

#include <gtest/gtest.h>

namespace kfpevents {
namespace {

TEST(Rfc3339Test, ParsesUtcFractionsAndOffsets) {
  EXPECT_EQ(ParseRfc3339Seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Seconds("2026-11-23T07:00:00Z"), 1795417200);
  EXPECT_EQ(ParseRfc3339Seconds("2026-11-23T07:00:00.999999Z"), 1795417200);
  EXPECT_EQ(ParseRfc3339Seconds("2026-11-23T08:00:00+01:00"), 1795417200);
  EXPECT_EQ(ParseRfc3339Seconds("2026-11-23T06:30:00-00:30"), 1795417200);
}

TEST(Rfc3339Test, FormatsUtcWithTheFractionDigitsAskedForTruncated) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1795417200) +
                                                          std::chrono::microseconds(123456));
  EXPECT_EQ(FormatRfc3339(time, 0), "2026-11-23T07:00:00Z");
  EXPECT_EQ(FormatRfc3339(time, 3), "2026-11-23T07:00:00.123Z");
  EXPECT_EQ(FormatRfc3339(time, 6), "2026-11-23T07:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(1795417200) +
                                                                std::chrono::milliseconds(5)),
                          6),
            "2026-11-23T07:00:00.005000Z");
  EXPECT_EQ(ParseRfc3339Seconds(FormatRfc3339(time, 6)), 1795417200);
}

TEST(Rfc3339Test, RejectsWhatIsNotADateTime) {
  for (const char* bad : {"", "2026-11-23", "2026-11-23T07:00:00", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-11-23T25:00:00Z", "1795417200",
                          "2026-11-23T07:00:00Zjunk", "2026-11-23T07:00:00.Z"}) {
    EXPECT_FALSE(ParseRfc3339Seconds(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace kfpevents
