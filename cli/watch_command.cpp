// `kfp-eventd watch` (also what runs with no subcommand): the daemon.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <tuple>

#include "commands.hpp"
#include "common.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/daemon.hpp"
#include "kfpevents/kube.hpp"
#include "leadership.hpp"
#include "observability.hpp"
#include "signals.hpp"

namespace kfpevents::cli {
namespace {

// Where the original image's ConfigMap of one-URL files is mounted.
constexpr const char* kDefaultSubscribersDir = "/subscribers";

struct WatchFlags {
  SubscriberSources sources;
  std::string kubeconfig;
  std::string context;
  std::vector<std::string> namespaces;
  bool all_namespaces = false;
  std::string field_selector = "involvedObject.kind=Workflow";
  std::string source_component = "workflow-controller";
  std::string since = "0";
  int watch_timeout = 0;  // 0: random in [300, 600] s
  int watch_stall_timeout = 90;
  std::string long_run_threshold = "6h";
  int page_size = 500;
  int outbox_memory_rows = static_cast<int>(kDefaultMaxHeldPerSubscriber);
  std::string argo_server;
  std::string argo_token_file;
  std::string argo_ca_file;
  bool argo_insecure = false;
  std::string state_dir;
  std::string state_sync = "full";
  std::string retention = "7d";
  std::string retry_schedule = "5s,5m,30m,2h,5h,10h,10h";
  std::string drain_timeout = "10s";
  bool reconcile = true;
  std::string metrics_address = ":9090";
  std::string reload_interval = "2s";
  LeaderFlags leader;
  LogFlags log;
};

int RunWatch(WatchFlags flags) {
  std::stop_source stop;
  const SignalStopper signals(stop);  // before any thread starts
  const std::shared_ptr<Logger> logger = flags.log.MakeLogger();
  const std::string name = "kfp-eventd watch";

  // Like the original image: the mounted folder of URLs, when there is one.
  if (flags.sources.subscribers_dir.empty() &&
      std::filesystem::is_directory(kDefaultSubscribersDir)) {
    flags.sources.subscribers_dir = kDefaultSubscribersDir;
  }
  DaemonOptions options;
  options.subscriptions = SubscriptionsOrReport(flags.sources, name);
  if (options.subscriptions.empty()) return kExitUsage;
  options.sources = flags.sources;

  const std::optional<std::chrono::milliseconds> since = ParseDuration(flags.since);
  const std::optional<std::chrono::milliseconds> retention = ParseDuration(flags.retention);
  const std::optional<std::chrono::milliseconds> drain = ParseDuration(flags.drain_timeout);
  const std::optional<std::chrono::milliseconds> reload = ParseDuration(flags.reload_interval);
  const std::optional<std::chrono::milliseconds> long_run = ParseDuration(flags.long_run_threshold);
  for (const auto& [flag, value, parsed] :
       {std::tuple{"--since", flags.since, since.has_value()},
        std::tuple{"--retention", flags.retention, retention.has_value()},
        std::tuple{"--drain-timeout", flags.drain_timeout, drain.has_value()},
        std::tuple{"--reload-interval", flags.reload_interval, reload.has_value()},
        std::tuple{"--long-run-threshold", flags.long_run_threshold, long_run.has_value()}}) {
    if (!parsed) {
      std::cerr << name << ": " << flag << " \"" << value
                << "\" is not a duration (examples: 30m, 2h, 1h30m, 7d)\n";
      return kExitUsage;
    }
  }
  const std::optional<std::vector<std::chrono::milliseconds>> schedule =
      ParseRetrySchedule(flags.retry_schedule);
  if (!schedule) {
    std::cerr << name << ": --retry-schedule \"" << flags.retry_schedule
              << "\" is not a comma-separated list of durations (example: 5s,5m,30m) or none\n";
    return kExitUsage;
  }
  Result<ApiConnection> connection = DiscoverConnection(flags.kubeconfig, flags.context);
  if (!connection) {
    std::cerr << name << ": " << connection.error().message() << '\n';
    return kExitUsage;
  }
  if (!flags.argo_server.empty()) {
    Result<ApiConnection> argo = ArgoServerConnection(flags.argo_server, flags.argo_token_file,
                                                      flags.argo_ca_file, flags.argo_insecure);
    if (!argo) {
      std::cerr << name << ": " << argo.error().message() << '\n';
      return kExitUsage;
    }
    options.argo_server = std::move(*argo);
  }
  if (flags.leader.enabled) {
    std::string lease_namespace = flags.namespaces.empty() ? "" : flags.namespaces.front();
    if (lease_namespace.empty()) lease_namespace = connection->namespace_name;
    if (lease_namespace.empty()) lease_namespace = "default";
    options.leader = LeaderOptions(flags.leader, *connection, lease_namespace, name);
    if (!options.leader) return kExitUsage;
  }
  const std::unique_ptr<Observability> observability =
      StartObservability(flags.metrics_address, logger, name);
  if (!observability) return kExitUsage;

  KubeEventSourceOptions& watch = options.watch;
  watch.connection = *connection;
  if (!flags.all_namespaces) {
    watch.namespaces = flags.namespaces;
    if (watch.namespaces.empty()) {
      std::string ns = EnvOr("POD_NAMESPACE");
      if (ns.empty()) ns = connection->namespace_name;
      if (ns.empty()) ns = "default";
      watch.namespaces.push_back(ns);
    }
  }
  watch.field_selector = flags.field_selector;
  watch.source_component = flags.source_component;
  watch.since = *since;
  watch.page_size = static_cast<std::size_t>(flags.page_size);
  watch.watch_stall_timeout = std::chrono::seconds(flags.watch_stall_timeout);
  watch.long_run_threshold = std::chrono::duration_cast<std::chrono::seconds>(*long_run);
  if (flags.watch_timeout > 0) {
    watch.watch_timeout_min = watch.watch_timeout_max = std::chrono::seconds(flags.watch_timeout);
  }
  watch.reconcile = flags.reconcile;
  options.state.dir = flags.state_dir;
  options.state.synchronous_full = flags.state_sync == "full";
  options.state.look_back = *since;
  options.state.retention = std::chrono::duration_cast<std::chrono::hours>(*retention);
  options.retry.backoff = *schedule;
  options.drain_timeout = *drain;
  options.max_held_per_subscriber = static_cast<std::size_t>(flags.outbox_memory_rows);
  options.reload_interval = *reload;
  options.logger = logger;
  options.metrics = observability->metrics;
  options.readiness = observability->readiness;

  Result<DaemonRun> run = RunDaemon(std::move(options), stop.get_token());
  if (!run) {
    std::cerr << name << ": " << run.error().message() << '\n';
    return kExitUsage;
  }
  switch (run->end) {
    case DaemonRun::End::kStoodBy:
      WriteSummary("kfp-eventd: stopped while standing by\n", flags.log, *logger);
      return kExitOk;
    case DaemonRun::End::kLostLease:
      WriteSummary(
          "kfp-eventd: lost the leader Lease and stopped sending; exiting so that "
          "Kubernetes restarts this replica as a standby\n",
          flags.log, *logger);
      return kExitUndelivered;
    case DaemonRun::End::kFailed:
      WriteSummary("kfp-eventd: " + run->failure.ToString() + "\n", flags.log, *logger);
      return kExitUndelivered;
    case DaemonRun::End::kStopped:
      break;
  }
  const RunSummary& summary = run->summary;
  std::ostringstream lines;
  lines << "kfp-eventd: stopped after " << summary.events << " events";
  if (summary.duplicates != 0) lines << " (" << summary.duplicates << " already notified)";
  if (summary.unresolved != 0) {
    lines << " (" << summary.unresolved << " without workflow details)";
  }
  lines << '\n';
  PrintSubscriberReports(summary, lines, /*kept=*/!flags.state_dir.empty());
  WriteSummary(lines.str(), flags.log, *logger);
  return kExitOk;
}

}  // namespace

Command AddWatchCommand(CLI::App& app) {
  auto flags = std::make_shared<WatchFlags>();
  CLI::App* watch = app.add_subcommand(
      "watch",
      "Watch the cluster's Argo Workflow events and notify every subscriber (the default)");
  AddSubscriberFlags(*watch, flags->sources);
  watch
      ->add_option("--kubeconfig", flags->kubeconfig,
                   "kubeconfig file (default: $KUBECONFIG, in-cluster credentials, "
                   "~/.kube/config)")
      ->check(CLI::ExistingFile);
  watch->add_option("--context", flags->context, "kubeconfig context (default: current-context)");
  CLI::Option* namespaces =
      watch->add_option("-n,--namespace", flags->namespaces,
                        "namespace to watch, repeatable (default: $POD_NAMESPACE, the context's "
                        "namespace, default)");
  watch->add_flag("-A,--all-namespaces", flags->all_namespaces, "watch every namespace")
      ->excludes(namespaces);
  watch
      ->add_option("--since", flags->since,
                   "on the first start, also notify Events newer than this (e.g. 30m); older "
                   "ones are a baseline")
      ->default_val("0");
  watch
      ->add_option("--field-selector", flags->field_selector,
                   "server-side Event filter; use source=workflow-controller when Argo sends "
                   "node events as Pod events (nodeEvents.sendAsPod)")
      ->default_val(flags->field_selector);
  watch
      ->add_option("--source-component", flags->source_component,
                   "keep Events recorded by this component; \"\" keeps all")
      ->default_val(flags->source_component);
  watch
      ->add_option("--watch-timeout", flags->watch_timeout,
                   "seconds after which the server ends each watch (default: random 300-600)")
      ->check(CLI::Range(1, 3600));
  watch
      ->add_option("--watch-stall-timeout", flags->watch_stall_timeout,
                   "seconds without a byte (the API server sends a bookmark about every minute) "
                   "after which a watch counts as stalled and is started again")
      ->default_val(flags->watch_stall_timeout)
      ->check(CLI::Range(2, 3600));
  watch->add_option("--page-size", flags->page_size, "Events per list request (pagination)")
      ->default_val(flags->page_size)
      ->check(CLI::Range(1, 10000));
  watch->add_option("--argo-server", flags->argo_server,
                    "resolve Workflows through Argo Server (https://host:2746) instead of the "
                    "Kubernetes API");
  watch
      ->add_option("--argo-token-file", flags->argo_token_file,
                   "file holding the Argo Server bearer token (re-read as it changes)")
      ->check(CLI::ExistingFile);
  watch->add_option("--argo-ca-file", flags->argo_ca_file, "CA bundle for Argo Server's TLS")
      ->check(CLI::ExistingFile);
  watch->add_flag("--argo-insecure-skip-tls-verify", flags->argo_insecure,
                  "do not verify Argo Server's certificate (testing only)");
  watch->add_option("--state-dir", flags->state_dir,
                    "folder for the durable state (state.db: checkpoints, notified keys, outbox); "
                    "without it nothing survives a restart");
  watch
      ->add_option("--state-sync", flags->state_sync,
                   "full: every commit is on disk before its messages are sent; normal: "
                   "faster, a power loss may repeat the last notifications")
      ->default_val(flags->state_sync)
      ->check(CLI::IsMember({"full", "normal"}));
  watch->add_option("--retention", flags->retention, "how long notified keys are remembered")
      ->default_val(flags->retention);
  watch
      ->add_option("--long-run-threshold", flags->long_run_threshold,
                   "runs still running after this long count in the gauge "
                   "kfp_eventd_runs_running_longer_than_threshold (a stuck-run signal)")
      ->default_val(flags->long_run_threshold);
  watch
      ->add_option("--outbox-memory-rows", flags->outbox_memory_rows,
                   "messages held in memory per subscriber; a longer backlog waits in the state "
                   "store and is read back as it drains (0: hold them all)")
      ->default_val(flags->outbox_memory_rows)
      ->check(CLI::Range(0, 10'000'000));
  watch
      ->add_option("--retry-schedule", flags->retry_schedule,
                   "waits before each retry of a failed delivery, then the message is "
                   "dead-lettered; Retry-After replaces a step; none: no retries")
      ->default_val(flags->retry_schedule);
  watch->add_flag("--reconcile,!--no-reconcile", flags->reconcile,
                  "also list and watch Workflows and notify the phase changes their status "
                  "shows that no Event reported (rate-limited, expired or missed Events); on by "
                  "default");
  watch
      ->add_option("--drain-timeout", flags->drain_timeout,
                   "on SIGTERM, how long deliveries in flight may finish; the rest stays "
                   "queued in the state dir")
      ->default_val(flags->drain_timeout);
  watch
      ->add_option("--reload-interval", flags->reload_interval,
                   "how often --config and --subscribers-dir are checked for changes, which are "
                   "applied without a restart (a bad change is rejected and logged); 0: never")
      ->default_val(flags->reload_interval);
  AddLeaderFlags(*watch, flags->leader);
  AddMetricsAddressFlag(*watch, flags->metrics_address);
  AddLogFlags(*watch, flags->log);
  watch->footer(
      "Examples:\n"
      "  kfp-eventd                                  # in a pod: in-cluster credentials,\n"
      "                                              # $POD_NAMESPACE, /subscribers\n"
      "  kfp-eventd watch --kubeconfig ~/.kube/config -n kubeflow --stdout\n"
      "  kfp-eventd watch -A --config kfp-eventd.yaml --state-dir /var/lib/kfp-eventd\n"
      "  kfp-eventd watch --state-dir ./state --since 1h --stdout\n"
      "\n"
      "Runs until SIGTERM or SIGINT. Events that existed before the first start are not\n"
      "notified unless --since says so. With --state-dir a restart resumes where the last\n"
      "run stopped: what happened meanwhile is notified, nothing is notified twice under a\n"
      "new id, and queued messages are delivered (see `kfp-eventd outbox`). Credentials come\n"
      "from the kubeconfig or the pod's service account; tokens are re-read as they rotate\n"
      "and never printed.\n"
      "With --leader-elect, replicas share a Lease: one leads, the others stand by ready and\n"
      "take over within --lease-duration when it stops; a leader that cannot renew stops\n"
      "sending and exits.\n"
      "Exit codes: 0 stopped cleanly; 1 the state store failed (a full disk) or the Lease was\n"
      "lost; 2 bad flags, config or credentials.");
  return [flags] { return RunWatch(*flags); };
}

}  // namespace kfpevents::cli
