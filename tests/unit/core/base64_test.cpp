#include "core/base64.hpp"

#include <gtest/gtest.h>

namespace kfpevents {
namespace {

TEST(DecodeBase64Test, DecodesWithAndWithoutPaddingAndAcrossLineBreaks) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVsbG8"), "hello");
  EXPECT_EQ(DecodeBase64("aGVs\nbG8h"), "hello!");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_EQ(DecodeBase64("AP8="), std::string("\0\xff", 2));
}

TEST(DecodeBase64Test, RejectsWhatIsNotBase64) {
  EXPECT_FALSE(DecodeBase64("a*b="));
  EXPECT_FALSE(DecodeBase64("aGVsbG8=x"));  // data after padding
  EXPECT_FALSE(DecodeBase64("a"));          // a lone sextet
}

TEST(EncodeBase64Test, PadsAndRoundTrips) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(DecodeBase64(EncodeBase64(all)), all);
}

}  // namespace
}  // namespace kfpevents
