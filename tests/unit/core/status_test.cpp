#include "kfpevents/status.hpp"

#include <gtest/gtest.h>

namespace kfpevents {
namespace {

TEST(StatusTest, DefaultIsOkAndNamedConstructorsCarryCodeAndMessage) {
  EXPECT_TRUE(Status().ok());
  const Status status = Status::NotFound("workflow kubeflow/x");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kNotFound);
  EXPECT_EQ(status.ToString(), "not found: workflow kubeflow/x");
}

TEST(ResultTest, HoldsAValueOrAnError) {
  Result<int> value = 42;
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, 42);
  Result<int> error = Status::Unavailable("try later");
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().code(), ErrorCode::kUnavailable);
}

TEST(ResultTest, AnOkStatusWithoutValueBecomesAnInternalError) {
  Result<int> result = Status::Ok();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace kfpevents
