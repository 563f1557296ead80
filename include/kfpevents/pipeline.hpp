// Pipeline: EventSource -> WorkflowResolver -> MessageFormatter -> Subscriber(s), wired.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "kfpevents/event_source.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/label_selector.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents {

// Which events a subscription wants: workflow-level, node-level or both.
enum class EventLevel { kAll, kWorkflow, kNode };

// Which notifications a subscription wants. Empty sets mean "all".
struct KFPEVENTS_EXPORT SubscriptionFilter {
  std::set<std::string> reasons;     // Event reasons, e.g. {"WorkflowSucceeded", "WorkflowFailed"}
  std::set<std::string> namespaces;  // the workflow's namespace
  // Matched against the workflow's labels; a workflow that could not be resolved has none (so
  // `team=ml` does not match it, `team!=ml` does, as in Kubernetes).
  LabelSelector workflow_selector;
  EventLevel level = EventLevel::kAll;

  bool Wants(const Notification& notification) const;
};

struct Subscription {
  std::string name;  // unique; used in logs and summaries
  std::unique_ptr<Subscriber> subscriber;
  std::shared_ptr<const MessageFormatter> formatter;
  SubscriptionFilter filter;
};

// How often a retryable failure is tried again before the message counts as failed.
struct RetryPolicy {
  // The wait before each retry; the number of entries is the number of retries.
  std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds(1), std::chrono::seconds(5)};
  // Each wait is drawn uniformly from [wait * (1 - jitter), wait].
  double jitter = 0.2;
  // A destination's Retry-After replaces the next wait, but never beyond this.
  std::chrono::seconds max_retry_after{60};
};

struct PipelineOptions {
  RetryPolicy retry;
  std::shared_ptr<Logger> logger;  // null: MakeNullLogger()
};

struct SubscriberReport {
  std::string name;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;    // permanent failures and retries exhausted
  std::uint64_t filtered = 0;  // not wanted by the subscription's filter
  std::uint64_t unsent = 0;    // still queued when a stop was requested
  std::uint64_t retries = 0;
  std::string last_error;  // the most recent failure's detail, "" if none
};

struct RunSummary {
  std::uint64_t events = 0;         // events the source delivered
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

  // Runs until the source is exhausted (then waits for every queued delivery) or `stop` is
  // requested (then abandons queued deliveries, counting them as unsent). Each subscription
  // delivers on its own thread, in event order, so a slow subscriber never holds up the others.
  // Errors: the source's own error when it cannot go on; deliveries never fail the run (they
  // are reported in the summary). Call Run once per Pipeline, from one thread.
  Result<RunSummary> Run(std::stop_token stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kfpevents
