// The whole daemon as one call: list and watch the cluster's Workflow Events, reconcile from
// Workflow status, resolve each Workflow, deliver to every subscriber through a durable outbox,
// reload the configuration as it changes, and lead or stand by among replicas. `kfp-eventd
// watch` is flags around RunDaemon; a program that embeds it adds its own subscribers (see
// examples/embedded_daemon).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

#include "kfpevents/clock.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/health.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/leader.hpp"
#include "kfpevents/metrics.hpp"
#include "kfpevents/pipeline.hpp"
#include "kfpevents/state.hpp"

namespace kfpevents {

struct DaemonOptions {
  // The cluster and which Events, as MakeKubeEventSource takes them (the connection, namespaces,
  // selectors, --since, timeouts, reconciliation). Where to resume, the logger, the metrics and
  // the Workflow cache's callbacks are the daemon's to set.
  KubeEventSourceOptions watch;
  // Where Workflows are looked up: the cluster (watch.connection) when empty, else Argo Server.
  std::optional<ApiConnection> argo_server;

  // Whom to notify. `subscriptions` as they are, or, when empty, built from `sources`. The
  // sources are read again every `reload_interval` (0: never) and a change is applied without a
  // restart; a change that does not build is rejected and logged, and the running set stays.
  std::vector<Subscription> subscriptions;
  SubscriberSources sources;
  std::chrono::milliseconds reload_interval{std::chrono::seconds(2)};

  // What was notified and what is still to deliver: in `state.dir`, or in memory (with a
  // warning) when it is empty. `state.look_back` is also the memory store's --since.
  StateStoreOptions state;
  RetryPolicy retry;
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
  std::size_t max_held_per_subscriber = kDefaultMaxHeldPerSubscriber;  // see PipelineOptions

  // With a value, this is one of several replicas: it stands by until it holds the Lease, then
  // resumes where the last leader left off. The Lease's annotations, logger, metrics and
  // readiness are the daemon's to set.
  std::optional<LeaderElectionOptions> leader;

  std::shared_ptr<Logger> logger;            // null: nothing logged
  std::shared_ptr<MetricsRegistry> metrics;  // null: counted privately
  std::shared_ptr<Readiness> readiness;      // null: not reported
  std::shared_ptr<Clock> clock;  // the reloader's, the elector's and retries'; null: SystemClock()
};

struct DaemonRun {
  enum class End {
    kStopped,    // `stop` was requested (or the source ended): `summary` says what was done
    kStoodBy,    // stopped before this replica ever led
    kLostLease,  // the Lease was lost: it stopped sending at once; restart as a standby
    kFailed,     // the state store failed (a full disk, a damaged or locked state dir): `failure`
  };
  End end = End::kStopped;
  RunSummary summary;
  Status failure;
};

// Runs the daemon until `stop` is requested. Errors (kInvalidArgument) are options that cannot
// work (no subscriber, bad leader durations, a resolver or source that cannot be made), found
// before anything is watched or sent; a failure while running is a DaemonRun with kFailed.
KFPEVENTS_EXPORT Result<DaemonRun> RunDaemon(DaemonOptions options, std::stop_token stop);

}  // namespace kfpevents
