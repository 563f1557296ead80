#include <gtest/gtest.h>

#include "http/curl_handle.hpp"

namespace kfpevents::http {
namespace {

TEST(CappedBodyTest, TakesUpToItsLimitThenRefuses) {
  CappedBody body{8, {}, false};
  EXPECT_EQ(body.Append("12345", 5), 5u);
  EXPECT_EQ(body.Append("6789", 4), 0u);
  EXPECT_TRUE(body.overflowed);
  EXPECT_EQ(body.text, "12345");
}

// A body announced by its Content-Length is allocated once, with room to be read in place.
TEST(CappedBodyTest, ExpectReservesTheLengthAndSpareButNoMoreThanTheLimit) {
  CappedBody body{1 << 20, {}, false};
  body.Expect(100'000);
  const std::size_t reserved = body.text.capacity();
  EXPECT_GE(reserved, 100'000u + 64);
  const std::string chunk(1000, 'x');
  for (int i = 0; i < 100; ++i) ASSERT_EQ(body.Append(chunk.data(), chunk.size()), 1000u);
  EXPECT_EQ(body.text.capacity(), reserved);  // never moved while it grew

  CappedBody capped{1000, {}, false};
  capped.Expect(1'000'000'000);  // a lying or huge Content-Length reserves only up to the limit
  EXPECT_LT(capped.text.capacity(), 2000u);
}

}  // namespace
}  // namespace kfpevents::http
