#include "http/header_name.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kfpevents::http {
namespace {

TEST(HeaderNameTest, ComparesIgnoringCase) {
  EXPECT_TRUE(SameHeaderName("Content-Type", "content-TYPE"));
  EXPECT_FALSE(SameHeaderName("Content-Type", "Content-Typ"));
  EXPECT_FALSE(SameHeaderName("Retry-After", "Retry-Afterx"));
  std::set<std::string, HeaderNameLess> names{"X-Api-Key"};
  EXPECT_FALSE(names.insert("x-api-key").second);
  EXPECT_TRUE(names.insert("X-Team").second);
}

}  // namespace
}  // namespace kfpevents::http
