// Pipeline: EventSource -> WorkflowResolver -> MessageFormatter -> Subscriber(s), wired.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "kfpevents/clock.hpp"
#include "kfpevents/event_source.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/label_selector.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/metrics.hpp"
#include "kfpevents/state.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents {

// Which events a subscription wants: workflow-level, node-level, both, or one per finished run
// (its WorkflowSucceeded or WorkflowFailed; a timed-out run's WorkflowTimedOut is left out, since
// Argo records WorkflowFailed after it).
enum class EventLevel { kAll, kWorkflow, kNode, kRun };

// Which notifications a subscription wants. Empty sets mean "all".
struct KFPEVENTS_EXPORT SubscriptionFilter {
  std::set<std::string> reasons;     // Event reasons, e.g. {"WorkflowSucceeded", "WorkflowFailed"}
  std::set<std::string> namespaces;  // the workflow's namespace
  std::set<std::string> pipelines;   // the run's pipeline name (PipelineName), as KFP shows it
  // Matched against the workflow's labels; a workflow that could not be resolved has none (so
  // `team=ml` does not match it, `team!=ml` does, as in Kubernetes).
  LabelSelector workflow_selector;
  EventLevel level = EventLevel::kAll;
  // False: a KFP 2.x run's node events only for its tasks (IsKfpV2Plumbing). True: every Argo
  // node, drivers, executors and loop scaffolding included.
  bool argo_nodes = false;

  bool Wants(const Notification& notification) const;
};

struct Subscription {
  std::string name;  // unique; used in logs, summaries and the outbox
  std::unique_ptr<Subscriber> subscriber;
  std::shared_ptr<const MessageFormatter> formatter;
  SubscriptionFilter filter;
  // Deliveries in flight at once. 1 keeps the subscriber's messages in event order (a message
  // waiting for its retry holds back the ones after it); more trades order for throughput.
  // Subscribers other than the built-in webhook are called from one thread whatever this is.
  int concurrency = 1;
};

// How often a retryable failure is tried again before the message is dead-lettered. The
// default is the schedule common webhook senders use: at once, then after 5 s, 5 min, 30 min,
// 2 h, 5 h, 10 h and 10 h (about 28 hours in all).
struct RetryPolicy {
  // The wait before each retry; the number of entries is the number of retries.
  std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds(5),  std::chrono::minutes(5),
                                                 std::chrono::minutes(30), std::chrono::hours(2),
                                                 std::chrono::hours(5),    std::chrono::hours(10),
                                                 std::chrono::hours(10)};
  // Each wait is drawn uniformly from [wait * (1 - jitter), wait].
  double jitter = 0.2;
  // A destination's Retry-After replaces the next wait, but never beyond this.
  std::chrono::seconds max_retry_after{std::chrono::hours(10)};
};

// Messages held in memory per subscriber by default (PipelineOptions::max_held_per_subscriber).
inline constexpr std::size_t kDefaultMaxHeldPerSubscriber = 1000;

struct PipelineOptions {
  RetryPolicy retry;
  std::shared_ptr<Logger> logger;  // null: MakeNullLogger()
  // Notified keys, checkpoints and the outbox. Null: MakeMemoryStateStore(), which notifies
  // everything the source delivers and keeps nothing past the process.
  std::shared_ptr<StateStore> store;
  // After a stop, deliveries in flight get this long to finish; the rest stays in the outbox.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
  // Stop at once, with no drain: deliveries in flight are cut off and stay in the outbox. For a
  // leader that lost its Lease and must stop sending before another replica starts.
  std::stop_token abort;
  // Where intake and delivery count (docs/OPERATIONS.md lists the metrics). Null: not exposed.
  std::shared_ptr<MetricsRegistry> metrics;
  // Messages held in memory per subscriber; a longer backlog (a subscriber down for hours)
  // waits in the store and is read back a page at a time, so memory stays flat. 0 holds all.
  // With the in-memory store the backlog is in memory all the same, once.
  std::size_t max_held_per_subscriber = kDefaultMaxHeldPerSubscriber;
  // What retry timers and the drain's grace period run on. Null: SystemClock().
  std::shared_ptr<Clock> clock;
};

struct SubscriberReport {
  std::string name;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;    // dead-lettered: permanent failures and retries exhausted
  std::uint64_t filtered = 0;  // not wanted by the subscription's filter
  std::uint64_t unsent = 0;    // still in the outbox when the run ended
  std::uint64_t retries = 0;
  std::string last_error;  // the most recent failure's detail, "" if none
};

struct RunSummary {
  std::uint64_t events = 0;         // events the source delivered
  std::uint64_t duplicates = 0;     // events whose transition was already notified
  std::uint64_t unresolved = 0;     // notified without workflow details (resolver failed)
  std::uint64_t format_errors = 0;  // messages a formatter refused (counted per subscription)
  std::vector<SubscriberReport> subscribers;
  bool stopped = false;  // a stop was requested before the source ran dry

  // True when every wanted message reached every subscriber.
  KFPEVENTS_EXPORT bool AllDelivered() const;
};

class KFPEVENTS_EXPORT Pipeline {
 public:
  Pipeline(std::unique_ptr<EventSource> source, std::unique_ptr<WorkflowResolver> resolver,
           std::vector<Subscription> subscriptions, PipelineOptions options = {});
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline();

  // Runs until the source is exhausted (then waits until every message is delivered or
  // dead-lettered) or `stop` is requested (then lets deliveries in flight finish within the
  // drain timeout and leaves the rest in the outbox, counted as unsent).
  //
  // Each event becomes a transition key; one already notified is skipped. Otherwise the key and
  // the messages for every subscription that wants it are committed to the store in one
  // transaction (commits are grouped), and only then delivered. Messages the store held from an
  // earlier run are delivered too. Delivery is asynchronous, per subscription, so a slow
  // subscriber never holds up the others.
  // Errors: the source's own error when it cannot go on, or the store's when it cannot commit
  // (a full disk): intake stops rather than notify what it could not record. Deliveries never
  // fail the run (they are reported in the summary). Call Run once, from one thread.
  Result<RunSummary> Run(std::stop_token stop);

  // Replaces the subscriptions (a configuration reload), from any thread, while Run runs or
  // before. Events taken in from now on go to the new set. Messages already queued stay in the
  // store and are delivered by the new subscription of the same name; deliveries in flight
  // finish on the old one first. Messages for a subscription no longer present stay in the
  // outbox, reported once (`kfp-eventd outbox list|drop`). Errors (nothing changes): a
  // subscription without subscriber or formatter, or two with one name.
  Status Reconfigure(std::vector<Subscription> subscriptions);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kfpevents
