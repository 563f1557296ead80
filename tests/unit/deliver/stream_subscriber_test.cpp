#include <gtest/gtest.h>

#include <sstream>

#include "kfpevents/subscribers.hpp"

namespace kfpevents {
namespace {

TEST(StreamSubscriberTest, WritesOneBodyPerLine) {
  std::ostringstream out;
  auto subscriber = MakeStreamSubscriber(out);
  EXPECT_EQ(subscriber->Deliver({"id1", R"({"a":1})", "application/json", {}}, {}).outcome,
            DeliveryOutcome::kDelivered);
  EXPECT_EQ(subscriber->Deliver({"id2", R"({"b":2})", "application/json", {}}, {}).outcome,
            DeliveryOutcome::kDelivered);
  EXPECT_EQ(out.str(), "{\"a\":1}\n{\"b\":2}\n");
}

TEST(StreamSubscriberTest, ABrokenStreamIsAPermanentFailure) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  EXPECT_EQ(MakeStreamSubscriber(out)->Deliver({"id", "x", "", {}}, {}).outcome,
            DeliveryOutcome::kPermanent);
}

}  // namespace
}  // namespace kfpevents
