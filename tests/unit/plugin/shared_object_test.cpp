#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/extensions.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

std::string Plugin(const std::string& variant) {
  return std::string(TEST_PLUGIN_DIR) + "/libtest_plugin_" + variant + ".so";
}

Message Sample() {
  Message message;
  message.id = "msg_1";
  message.body = "{\"EventType\":\"WorkflowSucceeded\"}";
  message.content_type = "application/json";
  message.headers = {{"X-Team", "ml"}};
  return message;
}

TEST(SharedObjectTest, AWellFormedPluginDelivers) {
  Result<std::unique_ptr<Subscriber>> subscriber = LoadPluginSubscriber(Plugin("good"), "{}");
  ASSERT_TRUE(subscriber) << subscriber.error().ToString();
  EXPECT_EQ((*subscriber)->Deliver(Sample(), {}).outcome, DeliveryOutcome::kDelivered);
}

TEST(SharedObjectTest, FailuresKeepTheirKindAndTheirReason) {
  auto retryable = LoadPluginSubscriber(Plugin("good"), R"({"fail":"retryable"})");
  ASSERT_TRUE(retryable);
  const DeliveryResult busy = (*retryable)->Deliver(Sample(), {});
  EXPECT_EQ(busy.outcome, DeliveryOutcome::kRetryable);
  EXPECT_EQ(busy.detail, "plugin test-sink: busy with msg_1");

  auto permanent = LoadPluginSubscriber(Plugin("good"), R"({"fail":"permanent"})");
  ASSERT_TRUE(permanent);
  const DeliveryResult refused = (*permanent)->Deliver(Sample(), {});
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kPermanent);
  EXPECT_EQ(refused.detail, "plugin test-sink: no such queue");
}

TEST(SharedObjectTest, AnExceptionInDeliverNeverCrossesTheBoundary) {
  auto throwing = LoadPluginSubscriber(Plugin("good"), R"({"fail":"throw"})");
  ASSERT_TRUE(throwing);
  const DeliveryResult result = (*throwing)->Deliver(Sample(), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanent);
  EXPECT_EQ(result.detail, "plugin test-sink: the plugin threw: boom in deliver");
  // The instance still works afterwards.
  EXPECT_EQ((*throwing)->Deliver(Sample(), {}).outcome, DeliveryOutcome::kPermanent);
}

TEST(SharedObjectTest, CreateFailuresCarryThePluginsReason) {
  auto refused = LoadPluginSubscriber(Plugin("good"), R"({"refuse":true})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message(),
              HasSubstr("refused its settings: refused: settings ask for it"));
}

TEST(SharedObjectTest, BrokenPluginsAreRefusedWithAClearReason) {
  const std::pair<std::string, std::string> cases[] = {
      {"bad_major",
       "was built for plugin ABI 2.0; this kfp-eventd speaks 1.0 (a different major "
       "version): rebuild the plugin"},
      {"newer_minor", "needs plugin ABI 1.1, newer than this kfp-eventd's 1.0"},
      {"missing", "lacks function(s) destroy in its table"},
      {"no_entry", "does not export kfp_eventd_plugin()"},
  };
  for (const auto& [variant, why] : cases) {
    auto loaded = LoadPluginSubscriber(Plugin(variant), "{}");
    ASSERT_FALSE(loaded) << variant;
    EXPECT_THAT(loaded.error().message(), HasSubstr(Plugin(variant))) << variant;
    EXPECT_THAT(loaded.error().message(), HasSubstr(why)) << variant;
  }
  auto absent = LoadPluginSubscriber("/nonexistent/libnothing.so", "{}");
  ASSERT_FALSE(absent);
  EXPECT_THAT(absent.error().message(),
              HasSubstr("plugin /nonexistent/libnothing.so cannot be loaded: "));
}

}  // namespace
}  // namespace kfpevents
