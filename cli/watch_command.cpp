// `kfp-eventd watch` (also what runs with no subcommand): the daemon.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/pipeline.hpp"
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
  int page_size = 500;
  std::string argo_server;
  std::string argo_token_file;
  std::string argo_ca_file;
  bool argo_insecure = false;
  int retries = 5;
  std::string log_level = "info";
};

std::string EnvOr(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

int RunWatch(WatchFlags flags) {
  std::stop_source stop;
  const SignalStopper signals(stop);  // before any thread starts
  const std::shared_ptr<Logger> logger = MakeStderrLogger(ParseLogLevel(flags.log_level));
  const std::string name = "kfp-eventd watch";

  // Like the original image: the mounted folder of URLs, when there is one.
  if (flags.sources.subscribers_dir.empty() &&
      std::filesystem::is_directory(kDefaultSubscribersDir)) {
    flags.sources.subscribers_dir = kDefaultSubscribersDir;
  }
  std::vector<Subscription> subscriptions = SubscriptionsOrReport(flags.sources, name);
  if (subscriptions.empty()) return kExitUsage;

  const std::optional<std::chrono::milliseconds> since = ParseDuration(flags.since);
  if (!since) {
    std::cerr << name << ": --since \"" << flags.since
              << "\" is not a duration (examples: 30m, 2h, 1h30m)\n";
    return kExitUsage;
  }
  Result<ApiConnection> connection = DiscoverConnection(flags.kubeconfig, flags.context);
  if (!connection) {
    std::cerr << name << ": " << connection.error().message() << '\n';
    return kExitUsage;
  }

  KubeEventSourceOptions source_options;
  source_options.connection = *connection;
  if (!flags.all_namespaces) {
    source_options.namespaces = flags.namespaces;
    if (source_options.namespaces.empty()) {
      std::string ns = EnvOr("POD_NAMESPACE");
      if (ns.empty()) ns = connection->namespace_name;
      if (ns.empty()) ns = "default";
      source_options.namespaces.push_back(ns);
    }
  }
  source_options.field_selector = flags.field_selector;
  source_options.source_component = flags.source_component;
  source_options.since = *since;
  source_options.page_size = static_cast<std::size_t>(flags.page_size);
  if (flags.watch_timeout > 0) {
    source_options.watch_timeout_min = source_options.watch_timeout_max =
        std::chrono::seconds(flags.watch_timeout);
  }
  source_options.logger = logger;

  WorkflowResolverOptions resolver_options;
  resolver_options.connection = *connection;
  if (!flags.argo_server.empty()) {
    Result<ApiConnection> argo = ArgoServerConnection(flags.argo_server, flags.argo_token_file,
                                                      flags.argo_ca_file, flags.argo_insecure);
    if (!argo) {
      std::cerr << name << ": " << argo.error().message() << '\n';
      return kExitUsage;
    }
    resolver_options.connection = *argo;
    resolver_options.argo_server = true;
  }
  Result<std::unique_ptr<WorkflowResolver>> resolver = MakeWorkflowResolver(resolver_options);
  Result<std::unique_ptr<EventSource>> source = MakeKubeEventSource(source_options);
  if (!resolver || !source) {
    std::cerr << name << ": " << (!resolver ? resolver.error() : source.error()).message() << '\n';
    return kExitUsage;
  }

  std::string scope = "all namespaces";
  if (!source_options.namespaces.empty()) {
    scope.clear();
    for (const std::string& ns : source_options.namespaces) {
      scope += (scope.empty() ? "namespace " : ", ") + ns;
    }
  }
  logger->Log(LogLevel::kInfo,
              "watching Workflow events in " + scope + " at " + connection->server + " for " +
                  std::to_string(subscriptions.size()) + " subscriber" +
                  (subscriptions.size() == 1 ? "" : "s") + "; credentials: " + connection->origin);

  PipelineOptions options;
  options.logger = logger;
  options.retry = RetryPolicyFor(flags.retries);
  Pipeline pipeline(std::move(*source), MakeCachingResolver(std::move(*resolver)),
                    std::move(subscriptions), std::move(options));
  Result<RunSummary> summary = pipeline.Run(stop.get_token());
  if (!summary) {
    std::cerr << name << ": " << summary.error().ToString() << '\n';
    return kExitUndelivered;
  }
  std::cerr << "kfp-eventd: stopped after " << summary->events << " events";
  if (summary->unresolved != 0) {
    std::cerr << " (" << summary->unresolved << " without workflow details)";
  }
  std::cerr << '\n';
  PrintSubscriberReports(*summary, std::cerr);
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
  AddRetriesFlag(*watch, flags->retries);
  AddLogLevelFlag(*watch, flags->log_level);
  watch->footer(
      "Examples:\n"
      "  kfp-eventd                                  # in a pod: in-cluster credentials,\n"
      "                                              # $POD_NAMESPACE, /subscribers\n"
      "  kfp-eventd watch --kubeconfig ~/.kube/config -n kubeflow --stdout\n"
      "  kfp-eventd watch -A --config kfp-eventd.yaml --since 1h\n"
      "\n"
      "Runs until SIGTERM or SIGINT. Events that existed before the first start are not\n"
      "notified unless --since says so. Credentials come from the kubeconfig or the pod's\n"
      "service account; tokens are re-read as they rotate and never printed.\n"
      "Exit codes: 0 stopped cleanly; 2 bad flags, config or credentials.");
  return [flags] { return RunWatch(*flags); };
}

}  // namespace kfpevents::cli
