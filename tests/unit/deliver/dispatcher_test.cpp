#include "deliver/dispatcher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "kfpevents/formatters.hpp"
#include "support/capturing_logger.hpp"
#include "support/mocks.hpp"

namespace kfpevents::deliver {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Invoke;
using testing::MakeEvent;
using testing::MockSubscriber;
using ::testing::Return;

using std::chrono::milliseconds;

// Records requested waits instead of sleeping.
struct FakeSleeper {
  std::mutex mutex;
  std::vector<milliseconds> waits;
  Sleeper AsSleeper() {
    return [this](milliseconds wait, std::stop_token) {
      std::lock_guard lock(mutex);
      waits.push_back(wait);
      return true;
    };
  }
};

DeliveryResult Retryable(std::optional<std::chrono::seconds> retry_after = std::nullopt) {
  return {DeliveryOutcome::kRetryable, "HTTP 503", 503, retry_after};
}

Notification NotificationFor(const std::string& reason, const std::string& key = "k") {
  Notification notification;
  notification.event = MakeEvent("wf", reason, "m");
  notification.key = key + reason;
  return notification;
}

Subscription SubscriptionWith(std::unique_ptr<Subscriber> subscriber, std::string name = "sub",
                              std::set<std::string> reasons = {}) {
  return {std::move(name), std::move(subscriber), MakeKfpFormatter(), {std::move(reasons)}};
}

DispatcherOptions OptionsWith(FakeSleeper& sleeper, std::shared_ptr<Logger> logger = nullptr) {
  DispatcherOptions options;
  options.retry.backoff = {milliseconds(1000), milliseconds(5000)};
  options.retry.jitter = 0.0;
  options.retry.max_retry_after = std::chrono::seconds(60);
  options.logger = std::move(logger);
  options.sleep = sleeper.AsSleeper();
  return options;
}

SubscriberReport RunOne(std::unique_ptr<Subscriber> subscriber, FakeSleeper& sleeper,
                        std::shared_ptr<Logger> logger = nullptr) {
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Dispatcher dispatcher(std::move(subscriptions), OptionsWith(sleeper, std::move(logger)));
  dispatcher.Submit(NotificationFor("WorkflowSucceeded"));
  dispatcher.Finish({});
  return dispatcher.Reports().at(0);
}

TEST(DispatcherTest, RetriesARetryableFailureOnTheBackoffSchedule) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce(Return(Retryable()))
      .WillOnce(Return(Retryable()))
      .WillOnce(Return(DeliveryResult::Delivered(200)));
  FakeSleeper sleeper;
  const SubscriberReport report = RunOne(std::move(subscriber), sleeper);
  EXPECT_EQ(report.delivered, 1u);
  EXPECT_EQ(report.retries, 2u);
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(sleeper.waits, (std::vector<milliseconds>{milliseconds(1000), milliseconds(5000)}));
}

TEST(DispatcherTest, GivesUpAfterTheBudgetAndSaysWhy) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).Times(3).WillRepeatedly(Return(Retryable()));
  FakeSleeper sleeper;
  auto logger = std::make_shared<testing::CapturingLogger>();
  const SubscriberReport report = RunOne(std::move(subscriber), sleeper, logger);
  EXPECT_EQ(report.delivered, 0u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.last_error, "HTTP 503");
  const std::vector<std::string> errors = logger->Lines(LogLevel::kError);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("subscriber sub: message "));
  EXPECT_THAT(errors[0], HasSubstr("failed after 3 attempts: HTTP 503"));
}

TEST(DispatcherTest, HonoursRetryAfterUpToTheCap) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce(Return(Retryable(std::chrono::seconds(30))))
      .WillOnce(Return(Retryable(std::chrono::seconds(3600))))
      .WillOnce(Return(DeliveryResult::Delivered()));
  FakeSleeper sleeper;
  EXPECT_EQ(RunOne(std::move(subscriber), sleeper).delivered, 1u);
  EXPECT_EQ(sleeper.waits, (std::vector<milliseconds>{milliseconds(30000), milliseconds(60000)}));
}

TEST(DispatcherTest, JitterKeepsWaitsWithinTheirBand) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillRepeatedly(Return(Retryable()));
  FakeSleeper sleeper;
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  DispatcherOptions options = OptionsWith(sleeper);
  options.retry.jitter = 0.5;
  options.retry.backoff.assign(20, milliseconds(1000));
  Dispatcher dispatcher(std::move(subscriptions), options);
  dispatcher.Submit(NotificationFor("WorkflowFailed"));
  dispatcher.Finish({});
  ASSERT_EQ(sleeper.waits.size(), 20u);
  for (milliseconds wait : sleeper.waits) {
    EXPECT_GE(wait, milliseconds(500));
    EXPECT_LE(wait, milliseconds(1000));
  }
}

TEST(DispatcherTest, APermanentFailureIsNotRetried) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce(Return(DeliveryResult{DeliveryOutcome::kPermanent, "HTTP 400", 400, {}}));
  FakeSleeper sleeper;
  const SubscriberReport report = RunOne(std::move(subscriber), sleeper);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_TRUE(sleeper.waits.empty());
}

TEST(DispatcherTest, AThrowingSubscriberFailsThatMessageOnly) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce([](const Message&, std::stop_token) -> DeliveryResult {
        throw std::runtime_error("boom");
      })
      .WillOnce(Return(DeliveryResult::Delivered()));
  FakeSleeper sleeper;
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Dispatcher dispatcher(std::move(subscriptions), OptionsWith(sleeper));
  dispatcher.Submit(NotificationFor("WorkflowRunning"));
  dispatcher.Submit(NotificationFor("WorkflowSucceeded"));
  dispatcher.Finish({});
  const SubscriberReport report = dispatcher.Reports().at(0);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.delivered, 1u);
  EXPECT_EQ(report.last_error, "subscriber threw: boom");
}

TEST(DispatcherTest, KeepsEventOrderPerSubscriberAndFiltersByReason) {
  std::vector<std::string> seen;
  auto all = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*all, Deliver(_, _)).WillRepeatedly([&](const Message& m, std::stop_token) {
    seen.push_back(m.body);
    return DeliveryResult::Delivered();
  });
  auto finished_only = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*finished_only, Deliver(_, _)).Times(1).WillOnce(Return(DeliveryResult::Delivered()));
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(all), "all"));
  subscriptions.push_back(
      SubscriptionWith(std::move(finished_only), "finished", {"WorkflowSucceeded"}));
  FakeSleeper sleeper;
  Dispatcher dispatcher(std::move(subscriptions), OptionsWith(sleeper));
  const std::vector<std::string> reasons = {"WorkflowRunning", "WorkflowNodeRunning",
                                            "WorkflowNodeSucceeded", "WorkflowSucceeded"};
  for (const std::string& reason : reasons) dispatcher.Submit(NotificationFor(reason));
  dispatcher.Finish({});
  ASSERT_EQ(seen.size(), 4u);
  for (std::size_t i = 0; i < reasons.size(); ++i) EXPECT_THAT(seen[i], HasSubstr(reasons[i]));
  const std::vector<SubscriberReport> reports = dispatcher.Reports();
  EXPECT_EQ(reports[1].delivered, 1u);
  EXPECT_EQ(reports[1].filtered, 3u);
}

TEST(DispatcherTest, ASlowSubscriberNeverHoldsUpAFastOne) {
  std::promise<void> release_slow;
  std::shared_future<void> slow_released = release_slow.get_future().share();
  std::promise<void> fast_done;
  auto slow = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*slow, Deliver(_, _)).WillRepeatedly([&](const Message&, std::stop_token) {
    slow_released.wait();
    return DeliveryResult::Delivered();
  });
  int fast_count = 0;
  auto fast = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*fast, Deliver(_, _)).WillRepeatedly([&](const Message&, std::stop_token) {
    if (++fast_count == 3) fast_done.set_value();
    return DeliveryResult::Delivered();
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(slow), "slow"));
  subscriptions.push_back(SubscriptionWith(std::move(fast), "fast"));
  FakeSleeper sleeper;
  Dispatcher dispatcher(std::move(subscriptions), OptionsWith(sleeper));
  for (const char* reason : {"WorkflowRunning", "WorkflowNodeRunning", "WorkflowSucceeded"}) {
    dispatcher.Submit(NotificationFor(reason));
  }
  // The fast subscriber gets all three while the slow one is still stuck on its first.
  EXPECT_EQ(fast_done.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  release_slow.set_value();
  dispatcher.Finish({});
  EXPECT_EQ(dispatcher.Reports()[0].delivered, 3u);
}

TEST(DispatcherTest, AStopAbandonsQueuedMessagesAsUnsent) {
  std::promise<void> first_started;
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillOnce([&](const Message&, std::stop_token stop) {
    first_started.set_value();
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    wake.wait(lock, stop, [] { return false; });  // hangs until the stop
    return Retryable();
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  FakeSleeper sleeper;
  Dispatcher dispatcher(std::move(subscriptions), OptionsWith(sleeper));
  for (const char* reason : {"WorkflowRunning", "WorkflowNodeRunning", "WorkflowSucceeded"}) {
    dispatcher.Submit(NotificationFor(reason));
  }
  first_started.get_future().wait();
  std::stop_source stop;
  stop.request_stop();
  dispatcher.Finish(stop.get_token());
  const SubscriberReport report = dispatcher.Reports().at(0);
  EXPECT_EQ(report.unsent, 3u);
  EXPECT_EQ(report.delivered + report.failed, 0u);
}

TEST(DispatcherTest, AFailingFormatterIsReportedAndCountsAsAFailure) {
  auto formatter = std::make_shared<testing::MockMessageFormatter>();
  EXPECT_CALL(*formatter, Format(_)).WillOnce(Return(Status::Internal("cannot render")));
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).Times(0);
  std::vector<Subscription> subscriptions;
  subscriptions.push_back({"sub", std::move(subscriber), formatter, {}});
  FakeSleeper sleeper;
  auto logger = std::make_shared<testing::CapturingLogger>();
  Dispatcher dispatcher(std::move(subscriptions), OptionsWith(sleeper, logger));
  dispatcher.Submit(NotificationFor("WorkflowRunning"));
  dispatcher.Finish({});
  EXPECT_EQ(dispatcher.format_errors(), 1u);
  EXPECT_EQ(dispatcher.Reports()[0].failed, 1u);
  EXPECT_THAT(logger->All(), HasSubstr("cannot be formatted: internal error: cannot render"));
}

}  // namespace
}  // namespace kfpevents::deliver
