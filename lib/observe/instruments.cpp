#include "observe/instruments.hpp"

namespace kfpevents::observe {
namespace {

// From a quarter of a millisecond to a day: a local webhook is reached well within a
// millisecond, retried messages arrive hours later.
const std::vector<double> kLatencyBounds = {0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05,
                                            0.1,     0.25,   0.5,   1,     2.5,   5,    10,    30,
                                            60,      300,    1800,  7200,  36000, 86400};

}  // namespace

std::shared_ptr<MetricsRegistry> OrPrivate(std::shared_ptr<MetricsRegistry> metrics) {
  return metrics ? std::move(metrics) : std::make_shared<MetricsRegistry>();
}

DeliveryInstruments DeliveryInstruments::For(MetricsRegistry& metrics,
                                             const std::string& subscriber) {
  auto attempts = [&](const char* outcome) {
    return &metrics.GetCounter("kfp_eventd_delivery_attempts_total",
                               "Delivery attempts by subscriber and outcome (delivered, "
                               "retryable, permanent).",
                               {{"subscriber", subscriber}, {"outcome", outcome}});
  };
  DeliveryInstruments out{};
  out.delivered = attempts("delivered");
  out.retryable = attempts("retryable");
  out.permanent = attempts("permanent");
  out.retries = &metrics.GetCounter("kfp_eventd_delivery_retries_total",
                                    "Retries scheduled after a retryable failure.",
                                    {{"subscriber", subscriber}});
  out.dead = &metrics.GetCounter("kfp_eventd_dead_letters_total",
                                 "Messages dead-lettered: a permanent failure or the retry "
                                 "schedule exhausted.",
                                 {{"subscriber", subscriber}});
  out.depth = &metrics.GetGauge("kfp_eventd_outbox_depth",
                                "Messages to deliver: queued, waiting for a retry or in flight.",
                                {{"subscriber", subscriber}});
  out.latency = &metrics.GetHistogram(
      "kfp_eventd_delivery_latency_seconds",
      "From the arrival of the event a message tells of to its successful delivery, "
      "retries included.",
      kLatencyBounds, {{"subscriber", subscriber}});
  return out;
}

WatchInstruments WatchInstruments::For(MetricsRegistry& metrics, const std::string& resource) {
  const MetricLabels labels = {{"resource", resource}};
  WatchInstruments out{};
  out.lists = &metrics.GetCounter("kfp_eventd_watch_lists_total",
                                  "Lists of a watched collection that completed.", labels);
  out.relists = &metrics.GetCounter(
      "kfp_eventd_watch_relists_total",
      "Lists after the first (410 Gone: the watch fell too far behind).", labels);
  out.watches =
      &metrics.GetCounter("kfp_eventd_watch_requests_total", "Watch requests started.", labels);
  out.restarts = &metrics.GetCounter("kfp_eventd_watch_restarts_total",
                                     "Watches that broke off or were refused and were started "
                                     "again after a backoff.",
                                     labels);
  out.errors = &metrics.GetCounter("kfp_eventd_watch_errors_total",
                                   "List or watch requests that failed.", labels);
  return out;
}

ResolverInstruments ResolverInstruments::For(MetricsRegistry& metrics) {
  ResolverInstruments out{};
  out.hits = &metrics.GetCounter("kfp_eventd_resolver_cache_hits_total",
                                 "Workflow lookups answered from the cache.");
  out.misses = &metrics.GetCounter("kfp_eventd_resolver_cache_misses_total",
                                   "Workflow lookups that fetched the Workflow from the API.");
  out.entries =
      &metrics.GetGauge("kfp_eventd_resolver_cache_entries", "Workflow summaries in the cache.");
  return out;
}

namespace {

constexpr const char* kReceived = "kfp_eventd_events_received_total";
constexpr const char* kReceivedHelp = "Events the source delivered, by reason.";
constexpr const char* kFormatErrors = "kfp_eventd_format_errors_total";
constexpr const char* kFormatErrorsHelp =
    "Messages a formatter refused (malformed callback info, a formatter that threw).";

}  // namespace

IntakeInstruments IntakeInstruments::For(MetricsRegistry& metrics) {
  IntakeInstruments out{};
  out.registry = &metrics;
  out.duplicates = &metrics.GetCounter(
      "kfp_eventd_events_already_notified_total",
      "Events whose transition was notified before (an Event and a Workflow status reporting "
      "the same transition, or an aggregated repeat).");
  out.notifications = &metrics.GetCounter(
      "kfp_eventd_notifications_total",
      "Transitions notified: committed to the outbox with a message for each subscriber.");
  // Counted when notified: whether an Event for the same transition comes later is not known
  // then (when it comes, it counts in kfp_eventd_events_already_notified_total).
  out.from_status = &metrics.GetCounter(
      "kfp_eventd_notified_from_workflow_status_total",
      "Transitions notified first from a Workflow's status (reconciliation): no Event for them "
      "had arrived yet, and one may never come.");
  out.unresolved = &metrics.GetCounter("kfp_eventd_events_unresolved_total",
                                       "Events notified without workflow details (the "
                                       "Workflow could not be fetched).");
  metrics.DeclareCounter(kReceived, kReceivedHelp);  // series per reason as events arrive
  metrics.DeclareCounter(kFormatErrors, kFormatErrorsHelp);
  return out;
}

Counter& IntakeInstruments::Received(const std::string& reason) const {
  return registry->GetCounter(kReceived, kReceivedHelp, {{"reason", reason}});
}

Counter& IntakeInstruments::FormatErrors(const std::string& subscriber) const {
  return registry->GetCounter(kFormatErrors, kFormatErrorsHelp, {{"subscriber", subscriber}});
}

}  // namespace kfpevents::observe
