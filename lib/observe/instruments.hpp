// The daemon's metrics, named in one place (docs/OPERATIONS.md lists them; a test keeps the two
// in step). Each part takes the handles it counts into once, so hot paths touch atomics only.
#pragma once

#include <memory>
#include <string>

#include "kfpevents/metrics.hpp"

namespace kfpevents::observe {

// A registry nobody reads, for parts given none: they count unconditionally.
std::shared_ptr<MetricsRegistry> OrPrivate(std::shared_ptr<MetricsRegistry> metrics);

// Per subscriber, for the delivery engine.
struct DeliveryInstruments {
  Counter* delivered;  // attempts that succeeded
  Counter* retryable;  // attempts that failed and may be retried
  Counter* permanent;  // attempts that failed for good
  Counter* retries;    // retries scheduled
  Counter* dead;       // messages dead-lettered
  Gauge* depth;        // messages queued, waiting for a retry or in flight
  Histogram* latency;  // queued (committed) to delivered, retries included

  static DeliveryInstruments For(MetricsRegistry& metrics, const std::string& subscriber);
};

// Per watched collection ("events", "workflows"), for the reflector.
struct WatchInstruments {
  Counter* lists;     // lists that completed (the first one included)
  Counter* relists;   // lists after the first: 410 Gone, or a restart without a checkpoint
  Counter* watches;   // watch requests started
  Counter* restarts;  // watches that ended in a failure and were started again
  Counter* errors;    // failed list or watch requests

  static WatchInstruments For(MetricsRegistry& metrics, const std::string& resource);
};

// For the workflow cache in front of the resolver.
struct ResolverInstruments {
  Counter* hits;    // answered from the cache
  Counter* misses;  // asked the API server
  Gauge* entries;   // summaries cached

  static ResolverInstruments For(MetricsRegistry& metrics);
};

// For the pipeline's intake.
struct IntakeInstruments {
  MetricsRegistry* registry;
  Counter* duplicates;     // events whose transition was notified before
  Counter* notifications;  // transitions notified (committed with their messages)
  Counter* from_status;    // of those, transitions a Workflow's status reported first
  Counter* unresolved;     // events notified without workflow details

  static IntakeInstruments For(MetricsRegistry& metrics);
  Counter& Received(const std::string& reason) const;  // events received, by reason
  Counter& FormatErrors(const std::string& subscriber) const;
};

}  // namespace kfpevents::observe
