#include "core/gunzip.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/node_status.hpp"

namespace kfpevents {
namespace {

using testing::Gzip;
using ::testing::HasSubstr;

TEST(GunzipTest, InflatesWhatGzipDeflated) {
  const std::string text = R"({"wf-1":{"name":"wf.train","phase":"Failed"}})";
  EXPECT_EQ(*Gunzip(Gzip(text), 1024), text);
  EXPECT_EQ(*Gunzip(Gzip(""), 1024), "");
}

TEST(GunzipTest, ReadsEveryMemberOfAMultiMemberStream) {
  EXPECT_EQ(*Gunzip(Gzip("first,") + Gzip("second"), 1024), "first,second");
}

TEST(GunzipTest, StopsAtTheCeilingSoThatABombCostsNoMoreThanIt) {
  const std::string bomb = Gzip(std::string(16 * 1024 * 1024, '\0'));  // 16 MB in about 16 KB
  ASSERT_LT(bomb.size(), 32u * 1024);
  Result<std::string> refused = Gunzip(bomb, 1024 * 1024);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message(), HasSubstr("inflates past 1048576 bytes"));
  EXPECT_TRUE(Gunzip(bomb, 16 * 1024 * 1024));  // exactly at the ceiling is fine
}

TEST(GunzipTest, RefusesWhatIsNotGzipOrIsCutShort) {
  Result<std::string> plain = Gunzip("{\"nodes\":{}}", 1024);
  ASSERT_FALSE(plain);
  EXPECT_THAT(plain.error().message(), HasSubstr("not gzip data"));
  const std::string whole = Gzip(std::string(4096, 'x'));
  Result<std::string> cut = Gunzip(whole.substr(0, whole.size() / 2), 1024 * 1024);
  ASSERT_FALSE(cut);
  EXPECT_THAT(cut.error().message(), HasSubstr("cut short"));
  EXPECT_FALSE(Gunzip("", 1024));
}

}  // namespace
}  // namespace kfpevents
