// The outbox: every message still to deliver, durable in the state store and in flight in the
// delivery engine. It owns both halves and the loop between them: rows go into the store in group
// commits and on to the engine once committed; the engine's outcomes (delivered, rescheduled,
// dead-lettered) come back to the committer.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <vector>

#include "deliver/delivery_engine.hpp"
#include "store/backend.hpp"
#include "store/group_commit.hpp"

namespace kfpevents::outbox {

struct OutboxOptions {
  RetryPolicy retry;
  std::shared_ptr<Logger> logger;
  std::shared_ptr<MetricsRegistry> metrics;  // null: counted privately
  // Called once, on the commit thread, when a commit fails: the outbox takes nothing more.
  std::function<void()> on_failure;
  // Rows held in memory per subscriber; a longer backlog waits in the store and is read back a
  // page at a time, so memory stays flat however long a subscriber is down.
  std::size_t max_held = kDefaultMaxHeldPerSubscriber;
  std::shared_ptr<Clock> clock;  // the delivery engine's; null: SystemClock()
};

class Outbox {
 public:
  Outbox(store::Backend& store, deliver::SharedSubscriptions subscriptions,
         OutboxOptions options);
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;
  ~Outbox();  // as Close with no grace period

  // Queues for delivery what an earlier run left in the store; how many rows that was.
  Result<std::size_t> Resume();
  // Queues a batch (keys, checkpoints, new rows) for the next commit; its new rows are
  // delivered once committed. Blocks while the commit queue is full. False once a commit failed
  // (see error()) or `stop` was requested while waiting.
  bool Submit(store::Batch batch, std::stop_token stop = {});
  // Waits until everything submitted so far is committed (or a commit failed).
  void Flush();
  // The failure that stopped the committer; OK while it works.
  Status error() const;
  // A configuration reload: new lanes, and what the store holds queued on them.
  void Reconfigure(deliver::SharedSubscriptions subscriptions);
  // Waits until nothing is queued, waiting for a retry or in flight, or `stop` is requested.
  void WaitIdle(std::stop_token stop);
  // Cuts deliveries in flight off at once (they stay in the store). Thread-safe.
  void CutShort();
  // Gives deliveries in flight `grace` to finish, commits their outcomes and stops; the
  // per-subscriber reports. Call once; nothing else after it.
  std::vector<SubscriberReport> Close(std::chrono::milliseconds grace);

 private:
  // A store in memory takes the intake's batches on the intake's thread: no hand-off to the
  // committer's, which keeps the delivery outcomes (the delivery loop never waits for a store).
  Status ApplyNow(store::Batch& batch);

  store::Backend& store_;
  std::shared_ptr<Logger> logger_;
  const bool direct_;
  const std::size_t max_held_;  // rows per subscriber read back at once
  std::function<void()> on_failure_;
  mutable std::mutex error_mutex_;
  Status error_;  // direct_: the failure that stopped it
  // The engine first: its outcomes go to the committer, which is built right after it and
  // stopped before it is destroyed (Close), so no outcome finds it gone.
  deliver::DeliveryEngine engine_;
  store::GroupCommitter committer_;
  bool closed_ = false;
};

}  // namespace kfpevents::outbox
