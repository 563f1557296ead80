// RunDaemon: the parts of kfpevents wired into the daemon, in the order they must start.
#include "kfpevents/daemon.hpp"

#include <algorithm>

#include "daemon/config_reloader.hpp"
#include "daemon/handover.hpp"

namespace kfpevents {
namespace {

DaemonRun Failed(Status failure) { return {DaemonRun::End::kFailed, {}, std::move(failure)}; }

// "namespace a, b" or "all namespaces", for the first log line.
std::string Scope(const std::vector<std::string>& namespaces) {
  if (namespaces.empty()) return "all namespaces";
  std::string scope;
  for (const std::string& ns : namespaces) scope += (scope.empty() ? "namespace " : ", ") + ns;
  return scope;
}

Result<std::shared_ptr<StateStore>> OpenStore(const DaemonOptions& options, Logger& logger) {
  if (options.state.dir.empty()) {
    logger.Log(LogLevel::kWarning,
               "no --state-dir: what was notified and what is still to deliver live in memory "
               "only; a restart forgets both");
    return MakeMemoryStateStore(options.state.look_back);
  }
  return OpenStateStore(options.state);
}

}  // namespace

Result<DaemonRun> RunDaemon(DaemonOptions options, std::stop_token stop) {
  const std::shared_ptr<Logger> logger = options.logger ? options.logger : MakeNullLogger();
  if (!options.metrics) options.metrics = std::make_shared<MetricsRegistry>();
  if (!options.readiness) options.readiness = std::make_shared<Readiness>();
  std::vector<Subscription> subscriptions = std::move(options.subscriptions);
  if (subscriptions.empty()) {
    Result<std::vector<SubscriberConfig>> gathered = GatherSubscribers(options.sources);
    if (!gathered) return gathered.error();
    Result<std::vector<Subscription>> built = BuildSubscriptions(*gathered);
    if (!built) return built.error();
    subscriptions = std::move(*built);
  }
  if (subscriptions.empty()) return Status::InvalidArgument("no subscribers");

  options.readiness->Fail("state-store", "not open yet");
  options.state.logger = logger;
  Result<std::shared_ptr<StateStore>> opened = OpenStore(options, *logger);
  if (!opened) return Failed(opened.error());
  const std::shared_ptr<StateStore> store = std::move(*opened);
  options.readiness->Pass("state-store", options.state.dir.empty()
                                             ? "in memory"
                                             : "open in " + options.state.dir);

  KubeEventSourceOptions& watch = options.watch;
  std::stop_source lost;  // the leader Lease was lost: stop sending at once
  std::unique_ptr<LeaderElector> elector;
  if (options.leader) {
    LeaderElectionOptions& leader = *options.leader;
    leader.annotations = daemon::HandoverWriter(store, leader.identity);
    leader.logger = logger;
    leader.metrics = options.metrics;
    leader.readiness = options.readiness;
    if (options.clock) leader.clock = options.clock;
    Result<std::unique_ptr<LeaderElector>> made = MakeLeaderElector(leader);
    if (!made) return made.error();
    elector = std::move(*made);
    options.readiness->Pass("leader-election", "not decided yet");
    if (!elector->Acquire(stop, [&lost] { lost.request_stop(); })) {
      return DaemonRun{DaemonRun::End::kStoodBy, {}, {}};
    }
  }

  if (!store->fresh()) {
    Result<std::map<std::string, std::string>> checkpoints = store->Checkpoints();
    if (!checkpoints) return Failed(checkpoints.error());
    watch.resume_after = store->baseline();
    watch.resume_from = std::move(*checkpoints);
  }
  watch.logger = logger;
  watch.metrics = options.metrics;
  watch.readiness = options.readiness;
  watch.reconcile_after = std::max(store->baseline(),
                                   std::chrono::system_clock::now() - options.state.retention);
  if (elector) {
    daemon::ApplyHandover(*elector, options.leader->identity, options.leader->lease_duration,
                          watch, *logger);
  }

  WorkflowResolverOptions resolver_options;
  resolver_options.connection = options.argo_server.value_or(watch.connection);
  resolver_options.argo_server = options.argo_server.has_value();
  Result<std::unique_ptr<WorkflowResolver>> resolver = MakeWorkflowResolver(resolver_options);
  if (!resolver) return resolver.error();
  // The Workflow watch keeps the cache warm, so events rarely need a GET of their Workflow.
  std::unique_ptr<CachingResolver> cache =
      MakeCachingResolver(std::move(*resolver), {}, options.metrics);
  watch.on_workflow = [cache = cache.get()](const WorkflowInfo& workflow) {
    cache->Remember(workflow);
  };
  watch.on_workflow_deleted = [cache = cache.get()](const std::string& uid) {
    cache->Forget(uid);
  };
  const std::string scope = Scope(watch.namespaces);
  const std::string server = watch.connection.server;
  const std::string origin = watch.connection.origin;
  Result<std::unique_ptr<EventSource>> source = MakeKubeEventSource(std::move(watch));
  if (!source) return source.error();

  logger->Log(LogLevel::kInfo, "watching Workflow events in " + scope + " at " + server +
                                   " for " + std::to_string(subscriptions.size()) +
                                   " subscriber" + (subscriptions.size() == 1 ? "" : "s") +
                                   "; credentials: " + origin);
  PipelineOptions pipeline_options;
  pipeline_options.logger = logger;
  pipeline_options.retry = options.retry;
  pipeline_options.store = store;
  pipeline_options.drain_timeout = options.drain_timeout;
  pipeline_options.max_held_per_subscriber = options.max_held_per_subscriber;
  pipeline_options.metrics = options.metrics;
  pipeline_options.clock = options.clock;
  pipeline_options.abort = lost.get_token();
  Pipeline pipeline(std::move(*source), std::move(cache), std::move(subscriptions),
                    std::move(pipeline_options));
  Result<RunSummary> summary = [&] {
    const daemon::ConfigReloader reloader(
        options.sources, options.reload_interval,
        [&pipeline](std::vector<Subscription> next) {
          return pipeline.Reconfigure(std::move(next));
        },
        logger, *options.metrics, options.clock);
    return pipeline.Run(stop);
  }();
  if (lost.stop_requested()) return DaemonRun{DaemonRun::End::kLostLease, {}, {}};
  if (!summary) return Failed(summary.error());
  return DaemonRun{DaemonRun::End::kStopped, std::move(*summary), {}};
}

}  // namespace kfpevents
