#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "kfpevents/config.hpp"
#include "kfpevents/extensions.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

class RecordingSubscriber final : public Subscriber {
 public:
  explicit RecordingSubscriber(std::string settings) : settings_(std::move(settings)) {}
  DeliveryResult Deliver(const Message&, std::stop_token) override {
    return DeliveryResult::Delivered();
  }
  const std::string& settings() const { return settings_; }

 private:
  std::string settings_;
};

class UpperFormatter final : public MessageFormatter {
 public:
  Result<Message> Format(const Notification& notification) const override {
    Message message;
    message.body = "RUN " + notification.event.reason;
    return message;
  }
};

TEST(RegistryTest, ARegisteredTypeAndFormatAreSelectedByConfig) {
  ASSERT_TRUE(RegisterSubscriberType("recorder", [](const SubscriberConfig& config) {
                return Result<std::unique_ptr<Subscriber>>(
                    std::make_unique<RecordingSubscriber>(config.settings_json));
              }).ok());
  ASSERT_TRUE(RegisterFormat("upper", [] { return std::make_unique<UpperFormatter>(); }).ok());
  Result<Config> config = ParseConfig(
      "subscribers:\n"
      "  - name: mine\n"
      "    type: recorder\n"
      "    format: upper\n"
      "    settings: {queue: 'runs', depth: 3, on: true, nested: {list: [a, '1']}, empty: ~}\n",
      "test.yaml");
  ASSERT_TRUE(config) << config.error().ToString();
  ASSERT_EQ(config->subscribers.size(), 1U);
  EXPECT_EQ(config->subscribers[0].type, SubscriberType::kRegistered);
  EXPECT_EQ(config->subscribers[0].settings_json,
            R"({"queue":"runs","depth":3,"on":true,"nested":{"list":["a","1"]},"empty":null})");

  Result<std::vector<Subscription>> built = BuildSubscriptions(config->subscribers);
  ASSERT_TRUE(built) << built.error().ToString();
  auto* recorder = dynamic_cast<RecordingSubscriber*>((*built)[0].subscriber.get());
  ASSERT_NE(recorder, nullptr);
  EXPECT_EQ(recorder->settings(), config->subscribers[0].settings_json);
  Notification notification;
  notification.event.reason = "WorkflowFailed";
  EXPECT_EQ((*built)[0].formatter->Format(notification)->body, "RUN WorkflowFailed");
}

TEST(RegistryTest, BuiltInAndRepeatedNamesAreRefused) {
  auto factory = [](const SubscriberConfig&) -> Result<std::unique_ptr<Subscriber>> {
    return Status::InvalidArgument("unused");
  };
  EXPECT_THAT(RegisterSubscriberType("webhook", factory).message(), HasSubstr("is built in"));
  EXPECT_THAT(RegisterSubscriberType("plugin", factory).message(), HasSubstr("is built in"));
  EXPECT_THAT(RegisterSubscriberType("nats", factory).message(), HasSubstr("is built in"));
  EXPECT_THAT(RegisterSubscriberType("email", factory).message(), HasSubstr("is built in"));
  ASSERT_TRUE(RegisterSubscriberType("twice", factory).ok());
  EXPECT_THAT(RegisterSubscriberType("twice", factory).message(),
              HasSubstr("is already registered"));
  EXPECT_THAT(RegisterFormat("kfp", [] { return std::make_unique<UpperFormatter>(); }).message(),
              HasSubstr("is built in"));
  EXPECT_FALSE(RegisterSubscriberType("", factory).ok());
}

TEST(RegistryTest, AFactoryThatFailsOrThrowsIsAConfigErrorNamingTheSubscriber) {
  ASSERT_TRUE(
      RegisterSubscriberType("picky",
                             [](const SubscriberConfig&) -> Result<std::unique_ptr<Subscriber>> {
                               return Status::InvalidArgument("settings need `queue`");
                             })
          .ok());
  ASSERT_TRUE(
      RegisterSubscriberType("thrower",
                             [](const SubscriberConfig&) -> Result<std::unique_ptr<Subscriber>> {
                               throw std::runtime_error("kaboom");
                             })
          .ok());
  SubscriberConfig picky;
  picky.name = "p";
  picky.type = SubscriberType::kRegistered;
  picky.type_name = "picky";
  EXPECT_EQ(BuildSubscriptions({picky}).error().message(),
            "subscriber \"p\": settings need `queue`");
  SubscriberConfig thrower = picky;
  thrower.name = "t";
  thrower.type_name = "thrower";
  EXPECT_EQ(BuildSubscriptions({thrower}).error().message(),
            "subscriber \"t\": the factory of its type threw: kaboom");
}

TEST(RegistryTest, ConfigRejectsUnknownTypesAndMisplacedKeys) {
  Result<Config> config = ParseConfig(
      "subscribers:\n"
      "  - name: a\n"
      "    type: nope\n"
      "  - name: b\n"
      "    type: plugin\n"
      "    url: http://x/\n"
      "  - name: c\n"
      "    url: http://x/\n"
      "    settings: {a: 1}\n"
      "    path: /x.so\n",
      "bad.yaml");
  ASSERT_FALSE(config);
  const std::string errors = config.error().message();
  EXPECT_THAT(errors, HasSubstr("bad.yaml:3:11: subscribers[0].type: must be webhook, stdout, "
                                "azure-devops, email, nats, kfp-run, plugin or a type this program "
                                "registered, "
                                "not \"nope\""));
  EXPECT_THAT(errors, HasSubstr("subscribers[1]: missing required key `path`"));
  EXPECT_THAT(errors, HasSubstr("subscribers[1].url: not used by type plugin"));
  EXPECT_THAT(errors, HasSubstr("subscribers[2].settings: only plugins and registered types"));
  EXPECT_THAT(errors, HasSubstr("subscribers[2].path: only type plugin takes a path"));
}

}  // namespace
}  // namespace kfpevents
