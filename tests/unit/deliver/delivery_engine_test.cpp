#include "deliver/delivery_engine.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "deliver/retry_delay.hpp"
#include "kfpevents/curl_transfer.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/subscribers.hpp"
#include "support/capturing_logger.hpp"
#include "support/loopback_http_server.hpp"
#include "support/manual_clock.hpp"
#include "support/mocks.hpp"
#include "support/wait_until.hpp"

namespace kfpevents::deliver {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using testing::MockSubscriber;
using ::testing::Return;

using std::chrono::milliseconds;

DeliveryResult Retryable(std::optional<std::chrono::seconds> retry_after = std::nullopt) {
  return {DeliveryOutcome::kRetryable, "HTTP 503", 503, retry_after};
}

Subscription SubscriptionWith(std::unique_ptr<Subscriber> subscriber, std::string name = "sub") {
  return {std::move(name), std::move(subscriber), MakeKfpFormatter(), {}};
}

store::OutboxEntry Row(std::int64_t id, const std::string& subscriber = "sub") {
  store::OutboxEntry row;
  row.id = id;
  row.subscriber = subscriber;
  row.message.id = "msg_" + std::to_string(id);
  row.message.body = "body " + std::to_string(id);
  row.created = row.next_attempt = std::chrono::system_clock::now();
  return row;
}

// What the engine asked the store to record, merged.
struct Recorded {
  std::mutex mutex;
  store::Batch all;
  void Take(store::Batch batch) {
    std::lock_guard lock(mutex);
    for (std::int64_t id : batch.delivered) all.delivered.push_back(id);
    for (auto& row : batch.retried) all.retried.push_back(row);
    for (auto& row : batch.dead) all.dead.push_back(row);
  }
};

EngineOptions FastRetries(Recorded& recorded, std::shared_ptr<Logger> logger = nullptr,
                          std::size_t retries = 2) {
  EngineOptions options;
  options.retry.backoff.assign(retries, milliseconds(1));
  options.retry.jitter = 0.0;
  options.logger = std::move(logger);
  options.record = [&recorded](store::Batch batch) { recorded.Take(std::move(batch)); };
  return options;
}

SubscriberReport DeliverOne(std::unique_ptr<Subscriber> subscriber, Recorded& recorded,
                            std::shared_ptr<Logger> logger = nullptr) {
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded, std::move(logger)));
  engine.Add({Row(7)});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  return engine.Reports().at(0);
}

TEST(RetryDelayTest, FollowsTheScheduleJittersDownAndCapsRetryAfter) {
  RetryPolicy policy;
  policy.backoff = {milliseconds(5000), milliseconds(300000)};
  policy.jitter = 0.2;
  policy.max_retry_after = std::chrono::seconds(60);
  EXPECT_EQ(RetryDelay(policy, 0, std::nullopt, 0.0), milliseconds(5000));
  EXPECT_EQ(RetryDelay(policy, 1, std::nullopt, 0.0), milliseconds(300000));
  EXPECT_EQ(RetryDelay(policy, 0, std::nullopt, 0.5), milliseconds(4500));
  EXPECT_EQ(RetryDelay(policy, 0, std::nullopt, 0.999999), milliseconds(4000));
  EXPECT_EQ(RetryDelay(policy, 0, std::chrono::seconds(30), 0.5), milliseconds(30000));
  EXPECT_EQ(RetryDelay(policy, 0, std::chrono::seconds(3600), 0.5), milliseconds(60000));
}

TEST(RetryDelayTest, TheDefaultScheduleIsTheWebhookSendersOne) {
  const RetryPolicy policy;
  using std::chrono::hours;
  using std::chrono::minutes;
  using std::chrono::seconds;
  EXPECT_EQ(policy.backoff, (std::vector<milliseconds>{seconds(5), minutes(5), minutes(30),
                                                       hours(2), hours(5), hours(10), hours(10)}));
}

TEST(DeliveryEngineTest, RetriesARetryableFailureAndRecordsEachStep) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce(Return(Retryable()))
      .WillOnce(Return(Retryable()))
      .WillOnce(Return(DeliveryResult::Delivered(200)));
  Recorded recorded;
  const SubscriberReport report = DeliverOne(std::move(subscriber), recorded);
  EXPECT_EQ(report.delivered, 1u);
  EXPECT_EQ(report.retries, 2u);
  EXPECT_EQ(report.failed, 0u);
  ASSERT_EQ(recorded.all.retried.size(), 2u);
  EXPECT_EQ(recorded.all.retried[0].attempts, 1);
  EXPECT_EQ(recorded.all.retried[1].attempts, 2);
  EXPECT_EQ(recorded.all.retried[1].last_error, "HTTP 503");
  EXPECT_EQ(recorded.all.delivered, std::vector<std::int64_t>{7});
}

// Fails its first delivery (retryable), takes the rest.
class FailsOnce final : public Subscriber {
 public:
  explicit FailsOnce(std::atomic<int>& calls) : calls_(calls) {}
  DeliveryResult Deliver(const Message&, std::stop_token) override {
    return ++calls_ == 1 ? Retryable() : DeliveryResult::Delivered(200);
  }

 private:
  std::atomic<int>& calls_;
};

TEST(DeliveryEngineTest, ARetryWaitsForItsTimeOnTheEnginesClock) {
  std::atomic<int> calls{0};
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::make_unique<FailsOnce>(calls)));
  Recorded recorded;
  EngineOptions options = FastRetries(recorded, nullptr, 1);
  options.retry.backoff = {std::chrono::minutes(5)};
  auto clock = std::make_shared<testing::ManualClock>();
  options.clock = clock;
  DeliveryEngine engine(Share(std::move(subscriptions)), std::move(options));
  engine.Add({Row(7)});
  ASSERT_TRUE(testing::WaitUntil([&] { return calls == 1; }));

  clock->Advance(std::chrono::minutes(4));
  engine.Add({});  // wakes the loop to look at its timers
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(calls, 1);  // not due for another minute

  clock->Advance(std::chrono::minutes(1));
  engine.Add({});
  ASSERT_TRUE(testing::WaitUntil([&] { return calls == 2; }));
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(engine.Reports().at(0).delivered, 1u);
  ASSERT_EQ(recorded.all.retried.size(), 1u);
  // The row records its retry in wall time, five minutes on.
  const auto wait = recorded.all.retried[0].next_attempt - recorded.all.retried[0].created;
  EXPECT_GE(wait, std::chrono::minutes(5) - std::chrono::seconds(5));
  EXPECT_LE(wait, std::chrono::minutes(5) + std::chrono::seconds(5));
}

TEST(DeliveryEngineTest, DeadLettersAfterTheBudgetAndSaysHowToRetry) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).Times(3).WillRepeatedly(Return(Retryable()));
  Recorded recorded;
  auto logger = std::make_shared<testing::CapturingLogger>();
  const SubscriberReport report = DeliverOne(std::move(subscriber), recorded, logger);
  EXPECT_EQ(report.delivered, 0u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.last_error, "HTTP 503");
  ASSERT_EQ(recorded.all.dead.size(), 1u);
  EXPECT_EQ(recorded.all.dead[0].id, 7);
  EXPECT_EQ(recorded.all.dead[0].attempts, 3);
  const std::vector<std::string> errors = logger->Lines(LogLevel::kError);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("subscriber sub: message msg_7 failed after 3 attempts: "
                                   "HTTP 503; dead-lettered as outbox row 7 "
                                   "(kfp-eventd outbox retry --id 7)"));
}

TEST(DeliveryEngineTest, APermanentFailureIsDeadLetteredWithoutRetrying) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce(Return(DeliveryResult{DeliveryOutcome::kPermanent, "HTTP 400", 400, {}}));
  Recorded recorded;
  const SubscriberReport report = DeliverOne(std::move(subscriber), recorded);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.retries, 0u);
  EXPECT_EQ(recorded.all.dead.size(), 1u);
}

TEST(DeliveryEngineTest, AThrowingSubscriberFailsThatMessageOnly) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _))
      .WillOnce([](const Message&, std::stop_token) -> DeliveryResult {
        throw std::runtime_error("boom");
      })
      .WillOnce(Return(DeliveryResult::Delivered()));
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1), Row(2)});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  const SubscriberReport report = engine.Reports().at(0);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.delivered, 1u);
  EXPECT_EQ(report.last_error, "subscriber threw: boom");
}

TEST(DeliveryEngineTest, WithConcurrencyOneAMessageAwaitingItsRetryHoldsBackTheNext) {
  std::vector<std::string> attempts;
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillRepeatedly([&](const Message& m, std::stop_token) {
    attempts.push_back(m.id);
    return attempts.size() == 1 ? Retryable() : DeliveryResult::Delivered();
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Recorded recorded;
  EngineOptions options = FastRetries(recorded);
  options.retry.backoff = {milliseconds(50)};
  DeliveryEngine engine(Share(std::move(subscriptions)), std::move(options));
  engine.Add({Row(1), Row(2), Row(3)});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(attempts, (std::vector<std::string>{"msg_1", "msg_1", "msg_2", "msg_3"}));
}

TEST(DeliveryEngineTest, ASlowSubscriberNeverHoldsUpAFastOne) {
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
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1, "slow"), Row(2, "slow"), Row(3, "slow"), Row(4, "fast"), Row(5, "fast"),
              Row(6, "fast")});
  // The fast subscriber gets all three while the slow one is still stuck on its first.
  EXPECT_EQ(fast_done.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  release_slow.set_value();
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(engine.Reports()[0].delivered, 3u);
}

// Counts the deliveries inside Deliver at once; each waits until `together` are in (or 100 ms
// passed), so a lane that runs fewer at once shows it, and one that runs more is caught inside.
class Gathering final : public Subscriber {
 public:
  Gathering(int together, int max_at_once) : together_(together), max_at_once_(max_at_once) {}
  DeliveryResult Deliver(const Message&, std::stop_token) override {
    std::unique_lock lock(mutex_);
    peak_ = std::max(peak_, ++inside_);
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::milliseconds(100), [&] { return peak_ >= together_; });
    --inside_;
    return DeliveryResult::Delivered();
  }
  int MaxConcurrentDeliveries() const override { return max_at_once_; }
  int Peak() {
    std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  const int together_;
  const int max_at_once_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int inside_ = 0;
  int peak_ = 0;
};

// A subscriber that says it takes concurrent calls gets the subscription's concurrency; one
// that does not (the default) is called one at a time whatever the concurrency.
TEST(DeliveryEngineTest, ABlockingSubscriberRunsAsManyAtOnceAsItAllows) {
  for (const auto& [allows, expected_peak] : {std::pair{8, 4}, std::pair{1, 1}}) {
    auto owned = std::make_unique<Gathering>(4, allows);
    Gathering* gathering = owned.get();
    std::vector<Subscription> subscriptions;
    subscriptions.push_back(SubscriptionWith(std::move(owned)));
    subscriptions.back().concurrency = 4;
    Recorded recorded;
    DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
    engine.Add({Row(1), Row(2), Row(3), Row(4), Row(5), Row(6), Row(7), Row(8)});
    engine.WaitIdle({});
    engine.Drain(milliseconds(0));
    EXPECT_EQ(gathering->Peak(), expected_peak) << "allows " << allows;
    EXPECT_EQ(engine.Reports().at(0).delivered, 8u);
  }
}

// A backlog beyond max_held stays in the store: the engine holds four rows, reads the rest back
// a page at a time as they are delivered, and delivers all twenty once each, in order.
// Twenty rows in the store for a subscriber, four held at a time: `hand_over` gives the engine
// its first rows, and the test checks that all twenty are delivered once, in order, with the
// rest paged in and the depth gauge counting all twenty.
void DeliversABacklogOfTwentyFourAtATime(
    const std::function<void(DeliveryEngine&, const std::vector<store::OutboxEntry>&)>& hand_over) {
  std::vector<store::OutboxEntry> stored;
  for (std::int64_t id = 1; id <= 20; ++id) stored.push_back(Row(id));
  std::mutex mutex;
  std::vector<std::string> delivered;
  std::vector<std::size_t> page_limits;
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillRepeatedly([&](const Message& message, std::stop_token) {
    std::lock_guard lock(mutex);
    delivered.push_back(message.id);
    return DeliveryResult::Delivered();
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Recorded recorded;
  EngineOptions options = FastRetries(recorded);
  options.max_held = 4;
  options.page_in = [&](const std::string& name, std::int64_t after, std::size_t limit) {
    std::lock_guard lock(mutex);
    page_limits.push_back(limit);
    std::vector<store::OutboxEntry> page;
    for (const store::OutboxEntry& row : stored) {
      if (row.subscriber == name && row.id > after && page.size() < limit) page.push_back(row);
    }
    return Result<std::vector<store::OutboxEntry>>(page);
  };
  auto metrics = std::make_shared<MetricsRegistry>();
  options.metrics = metrics;
  // Held until the depth is read: the subscriber is blocked on `mutex` meanwhile.
  std::unique_lock hold(mutex);
  DeliveryEngine engine(Share(std::move(subscriptions)), std::move(options));
  hand_over(engine, stored);
  // The gauge counts the whole backlog, not the four rows memory holds.
  testing::WaitUntil(
      [&] {
        return metrics->Render().find("kfp_eventd_outbox_depth{subscriber=\"sub\"} 20") !=
               std::string::npos;
      },
      std::chrono::seconds(10));
  EXPECT_THAT(metrics->Render(), HasSubstr("kfp_eventd_outbox_depth{subscriber=\"sub\"} 20"));
  hold.unlock();
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  std::vector<std::string> expected;
  for (int id = 1; id <= 20; ++id) expected.push_back("msg_" + std::to_string(id));
  hold.lock();
  EXPECT_EQ(delivered, expected);
  EXPECT_GE(page_limits.size(), 4u);  // 16 rows came back from the store
  for (std::size_t limit : page_limits) EXPECT_LE(limit, 4u);
  EXPECT_EQ(engine.Reports().at(0).delivered, 20u);
}

TEST(DeliveryEngineTest, ABacklogAddedBeyondTheBoundIsPagedInFromTheStoreInOrder) {
  DeliversABacklogOfTwentyFourAtATime(
      [](DeliveryEngine& engine, const std::vector<store::OutboxEntry>& stored) {
        engine.Add(stored);  // all at once: the engine keeps four
      });
}

// A restart reads only each subscriber's first rows (store::LoadPendingHead) and the count of
// the rest.
TEST(DeliveryEngineTest, AStartWithTheBacklogsHeadPagesInTheRest) {
  DeliversABacklogOfTwentyFourAtATime(
      [](DeliveryEngine& engine, const std::vector<store::OutboxEntry>& stored) {
        store::PendingHead head;
        head.rows.assign(stored.begin(), stored.begin() + 4);
        head.beyond["sub"] = 16;
        engine.Replace(std::move(head));
      });
}

TEST(DeliveryEngineTest, DrainAbortsWhatIsInFlightAfterTheGraceAndLeavesTheRestQueued) {
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
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1), Row(2), Row(3)});
  first_started.get_future().wait();
  engine.Drain(milliseconds(20));
  const SubscriberReport report = engine.Reports().at(0);
  EXPECT_EQ(report.unsent, 3u);  // the aborted one and the two queued stay in the outbox
  EXPECT_EQ(report.delivered + report.failed, 0u);
  EXPECT_TRUE(recorded.all.retried.empty());  // nothing recorded: the rows stay as they were
  EXPECT_TRUE(recorded.all.dead.empty());
}

TEST(DeliveryEngineTest, RowsForASubscriberNoLongerConfiguredAreKeptWithOneWarning) {
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillOnce(Return(DeliveryResult::Delivered()));
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Recorded recorded;
  auto logger = std::make_shared<testing::CapturingLogger>();
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded, logger));
  engine.Add({Row(1, "gone"), Row(2, "gone"), Row(3)});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(recorded.all.delivered, std::vector<std::int64_t>{3});
  const std::vector<std::string> warnings = logger->Lines(LogLevel::kWarning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("subscriber \"gone\", which is not configured; they are "
                                     "kept"));
  EXPECT_THAT(warnings[0], HasSubstr("kfp-eventd outbox drop --subscriber gone"));
}

TEST(DeliveryEngineTest, ReplaceSwapsTheQueueForTheStoresRows) {
  std::vector<std::string> delivered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*subscriber, Deliver(_, _)).WillRepeatedly([&](const Message& m, std::stop_token) {
    released.wait();
    delivered.push_back(m.id);
    return DeliveryResult::Delivered();
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(subscriber)));
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1), Row(2), Row(3)});
  // Row 1 is in flight; the store now says 2 was dropped and 9 came back from the dead.
  engine.Replace({{Row(1), Row(3), Row(9)}, {}});
  release.set_value();
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(delivered, (std::vector<std::string>{"msg_1", "msg_3", "msg_9"}));
}

TEST(DeliveryEngineTest, ReconfigureMovesQueuedRowsToTheNewSubscriberAfterTheOldOneFinishes) {
  std::mutex mutex;
  std::vector<std::string> delivered;  // "old:msg_1", "new:msg_2", ...
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  auto old_subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*old_subscriber, Deliver(_, _)).WillOnce([&](const Message& m, std::stop_token) {
    started.set_value();
    released.wait();
    std::lock_guard lock(mutex);
    delivered.push_back("old:" + m.id);
    return DeliveryResult::Delivered();
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(SubscriptionWith(std::move(old_subscriber)));
  subscriptions.push_back(SubscriptionWith(std::make_unique<MockSubscriber>(), "removed"));
  Recorded recorded;
  auto logger = std::make_shared<testing::CapturingLogger>();
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded, logger));
  engine.Add({Row(1), Row(2), Row(3)});
  started.get_future().wait();  // row 1 is in flight on the old subscriber

  auto new_subscriber = std::make_unique<MockSubscriber>();
  EXPECT_CALL(*new_subscriber, Deliver(_, _))
      .WillRepeatedly([&](const Message& m, std::stop_token) {
        std::lock_guard lock(mutex);
        delivered.push_back("new:" + m.id);
        return DeliveryResult::Delivered();
      });
  std::vector<Subscription> replaced;
  replaced.push_back(SubscriptionWith(std::move(new_subscriber)));
  engine.Reconfigure(Share(std::move(replaced)));
  // What the store holds, as the pipeline reloads it: rows 1-3, and one for the removed one.
  engine.Replace({{Row(1), Row(2), Row(3), Row(4, "removed")}, {}});
  std::this_thread::sleep_for(milliseconds(50));  // the new lane must wait for the old one
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(delivered.empty());
  }
  release.set_value();
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(delivered, (std::vector<std::string>{"old:msg_1", "new:msg_2", "new:msg_3"}));
  const std::vector<SubscriberReport> reports = engine.Reports();
  ASSERT_EQ(reports.size(), 2U);  // the removed subscription keeps its report
  EXPECT_EQ(reports[0].name, "sub");
  EXPECT_EQ(reports[0].delivered, 3U);
  EXPECT_EQ(reports[1].name, "removed");
  EXPECT_THAT(logger->Lines(LogLevel::kWarning),
              ::testing::ElementsAre(HasSubstr("subscriber \"removed\", which is not configured")));
}

}  // namespace
}  // namespace kfpevents::deliver

namespace kfpevents::deliver {
namespace {

using testing::LoopbackHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

// Waits (up to 10 s) until `count` requests are open at the same time, then lets them go.
class Rendezvous {
 public:
  explicit Rendezvous(std::size_t count) : count_(count) {}
  bool Arrive() {
    std::unique_lock lock(mutex_);
    ++open_;
    peak_ = std::max(peak_, open_);
    changed_.notify_all();
    const bool met =
        changed_.wait_for(lock, std::chrono::seconds(10), [&] { return peak_ >= count_; });
    --open_;
    return met;
  }
  std::size_t peak() {
    std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t count_;
  std::size_t open_ = 0;
  std::size_t peak_ = 0;
};

Subscription Webhook(const LoopbackHttpServer& server, std::string name, int concurrency) {
  HttpSubscriberOptions options;
  options.url = server.Url();
  Subscription subscription{std::move(name), *MakeHttpSubscriber(options), MakeKfpFormatter(), {}};
  subscription.concurrency = concurrency;
  return subscription;
}

TEST(DeliveryEngineWebhookTest, RunsAsManyPostsAtOnceAsTheConcurrencyAllows) {
  Rendezvous four(4);
  LoopbackHttpServer server([&](std::size_t, const RecordedRequest&) {
    return four.Arrive() ? ScriptedResponse{204, {}, ""} : ScriptedResponse{503, {}, ""};
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(Webhook(server, "wide", 4));
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1, "wide"), Row(2, "wide"), Row(3, "wide"), Row(4, "wide")});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(four.peak(), 4u);
  EXPECT_EQ(engine.Reports()[0].delivered, 4u);
  EXPECT_EQ(engine.Reports()[0].retries, 0u);
}

TEST(DeliveryEngineWebhookTest, AHangingWebhookNeverHoldsUpAnotherOnTheSameLoop) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  LoopbackHttpServer slow([&](std::size_t, const RecordedRequest&) {
    released.wait();
    return ScriptedResponse{204, {}, ""};
  });
  LoopbackHttpServer fast;
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(Webhook(slow, "slow", 1));
  subscriptions.push_back(Webhook(fast, "fast", 1));
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1, "slow"), Row(2, "slow"), Row(3, "fast"), Row(4, "fast"), Row(5, "fast")});
  EXPECT_TRUE(fast.WaitForRequests(3, std::chrono::seconds(10)));
  EXPECT_LE(slow.Requests().size(), 1u);  // still on its first (recorded once answered)
  // Every message carries its id and the webhook headers.
  EXPECT_EQ(fast.Requests()[0].Header("webhook-id"), "msg_3");
  EXPECT_FALSE(fast.Requests()[0].Header("webhook-timestamp").empty());
  release.set_value();
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(engine.Reports()[0].delivered, 2u);
  EXPECT_EQ(engine.Reports()[1].delivered, 3u);
}

// A user's own subscriber on the public curl path: it PUTs each message's body to
// `url`/<message id> and takes any 2xx; 'boom' in a body makes Prepare throw.
class PutSubscriber final : public Subscriber, public CurlTransferSource {
 public:
  explicit PutSubscriber(std::string url) : url_(std::move(url)) {}
  DeliveryResult Deliver(const Message&, std::stop_token) override {
    return {DeliveryOutcome::kPermanent, "Deliver called", 0, std::nullopt};
  }
  CurlTransferSource* CurlTransfers() override { return this; }

  Result<std::unique_ptr<CurlTransfer>> Prepare(const Message& message, CurlEasy reuse) override {
    if (message.body.find("boom") != std::string::npos) throw std::runtime_error("boom");
    if (!reuse) reuse.reset(curl_easy_init());
    curl_easy_reset(reuse.get());
    curl_easy_setopt(reuse.get(), CURLOPT_URL, (url_ + "/" + message.id).c_str());
    curl_easy_setopt(reuse.get(), CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(reuse.get(), CURLOPT_POSTFIELDS, message.body.c_str());
    return std::unique_ptr<CurlTransfer>(std::make_unique<Put>(std::move(reuse)));
  }

 private:
  class Put final : public CurlTransfer {
   public:
    explicit Put(CurlEasy easy) : easy_(std::move(easy)) {}
    CURL* easy() override { return easy_.get(); }
    DeliveryResult Finish(CURLcode code) override {
      long status = 0;
      curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
      if (code == CURLE_OK && status / 100 == 2) return DeliveryResult::Delivered(200);
      return {DeliveryOutcome::kRetryable, "PUT failed", static_cast<int>(status), std::nullopt};
    }
    CurlEasy Release() override { return std::move(easy_); }

   private:
    CurlEasy easy_;
  };
  const std::string url_;
};

TEST(DeliveryEngineCurlTransferTest, AUserSubscriberRunsOnTheLoopWithItsConcurrency) {
  Rendezvous three(3);
  LoopbackHttpServer server([&](std::size_t, const RecordedRequest&) {
    return three.Arrive() ? ScriptedResponse{204, {}, ""} : ScriptedResponse{503, {}, ""};
  });
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(
      SubscriptionWith(std::make_unique<PutSubscriber>(server.Url("/put")), "puts"));
  subscriptions.back().concurrency = 3;
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  engine.Add({Row(1, "puts"), Row(2, "puts"), Row(3, "puts")});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(three.peak(), 3u);  // three at once, on the loop: Deliver was never called
  EXPECT_EQ(engine.Reports()[0].delivered, 3u);
  EXPECT_EQ(engine.Reports()[0].retries, 0u);
  ASSERT_EQ(server.Requests().size(), 3u);
  EXPECT_EQ(server.Requests()[0].method, "PUT");
}

TEST(DeliveryEngineCurlTransferTest, APrepareThatThrowsFailsThatMessageOnly) {
  LoopbackHttpServer server;
  std::vector<Subscription> subscriptions;
  subscriptions.push_back(
      SubscriptionWith(std::make_unique<PutSubscriber>(server.Url("/put")), "puts"));
  Recorded recorded;
  DeliveryEngine engine(Share(std::move(subscriptions)), FastRetries(recorded));
  store::OutboxEntry bad = Row(1, "puts");
  bad.message.body = "boom";
  engine.Add({std::move(bad), Row(2, "puts")});
  engine.WaitIdle({});
  engine.Drain(milliseconds(0));
  EXPECT_EQ(engine.Reports()[0].delivered, 1u);
  EXPECT_EQ(engine.Reports()[0].failed, 1u);
  ASSERT_EQ(recorded.all.dead.size(), 1u);
  EXPECT_EQ(recorded.all.dead[0].last_error, "subscriber threw: boom");
}

}  // namespace
}  // namespace kfpevents::deliver
