// The delivery loop: one thread runs the deliveries of every subscriber that offers them as
// libcurl transfers (Subscriber::CurlTransfers: the built-in webhook, and any subscriber that
// implements curl_transfer.hpp) on one curl multi handle, so a slow or dead subscriber never holds
// up the others and a thousand deliveries in flight cost no thousand threads. Other subscribers
// (stdout, email, user code) run their blocking Deliver on threads of their own. Each subscription
// keeps its own queue, concurrency limit and retry timers; the outcomes go to the store through
// `record`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "kfpevents/metrics.hpp"
#include "kfpevents/pipeline.hpp"
#include "store/backend.hpp"
#include "store/pending_head.hpp"

namespace kfpevents::deliver {

struct EngineOptions {
  RetryPolicy retry;
  std::shared_ptr<Logger> logger;
  std::shared_ptr<MetricsRegistry> metrics;  // null: counted privately
  // Retry timers and the drain's grace run on it. Rows keep wall times (next_attempt, for the
  // store); the engine reads them as wall time at its start plus the time passed on this clock,
  // so a manual clock moves them on too. Null: SystemClock().
  std::shared_ptr<Clock> clock;
  // Receives what to record: rows delivered (deleted), rescheduled or dead-lettered. Called on
  // the delivery thread; must not block for long.
  std::function<void(store::Batch)> record;
  // A backlog beyond `max_held` rows per subscription stays in the store: memory holds at most
  // that many (queued, waiting for a retry or in flight), and when half of them are done the
  // next rows are read back with `page_in` (the subscription's rows after an id, oldest first, at
  // most a limit). 0 holds every row (and needs no page_in).
  std::size_t max_held = 0;
  std::function<Result<std::vector<store::OutboxEntry>>(const std::string& subscriber,
                                                        std::int64_t after_id, std::size_t limit)>
      page_in;
};

// Subscriptions are shared: a reconfigured engine keeps a replaced one alive until its
// deliveries in flight have finished.
using SharedSubscriptions = std::vector<std::shared_ptr<const Subscription>>;
SharedSubscriptions Share(std::vector<Subscription> subscriptions);

class DeliveryEngine {
 public:
  // Rows name their subscription by its name.
  DeliveryEngine(SharedSubscriptions subscriptions, EngineOptions options);
  DeliveryEngine(const DeliveryEngine&) = delete;
  DeliveryEngine& operator=(const DeliveryEngine&) = delete;
  ~DeliveryEngine();  // drains with no grace period

  // Committed rows to deliver: new messages. Thread-safe.
  void Add(std::vector<store::OutboxEntry> entries);
  // What the store holds to deliver, at a start or after it changed under us (`kfp-eventd
  // outbox retry|drop`, a reload): rows, and how many more of each subscriber wait in the store
  // after them (paged in as room frees). Queued rows are replaced by it, deliveries in flight
  // continue; rows added afterwards come after it. Thread-safe.
  void Replace(store::PendingHead pending);
  // A new set of subscriptions (a configuration reload). Every lane is replaced: queued rows are
  // dropped from memory (they stay in the store; follow with Replace(pending) to queue them on
  // the new lanes), deliveries in flight finish on the old subscriber, and a new lane with
  // concurrency 1 starts only after its predecessor's have, so order holds. Rows for a
  // subscriber no longer configured are kept in the store and reported. Thread-safe.
  void Reconfigure(SharedSubscriptions subscriptions);
  // Waits until nothing is queued, waiting for a retry or in flight, or `stop` is requested.
  void WaitIdle(std::stop_token stop);
  // Starts nothing new, gives deliveries in flight up to `grace` to finish, aborts the rest,
  // and joins the loop. What was not delivered stays in the store.
  void Drain(std::chrono::milliseconds grace);
  // Starts nothing new and cuts off deliveries in flight at once (they stay in the store); the
  // caller still calls Drain. Thread-safe, returns at once.
  void CutShort();
  // Per subscription, in the order first configured (a removed one keeps its report); complete
  // once Drain returned.
  std::vector<SubscriberReport> Reports() const;

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace kfpevents::deliver
