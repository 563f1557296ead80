#include "leadership.hpp"

#include <unistd.h>

#include <iostream>

#include "common.hpp"
#include "kfpevents/config.hpp"

namespace kfpevents::cli {

void AddLeaderFlags(CLI::App& command, LeaderFlags& flags) {
  command.add_flag("--leader-elect", flags.enabled,
                   "run as one of several replicas: only the holder of a coordination.k8s.io "
                   "Lease watches and delivers, the others wait ready to take over");
  command.add_option("--lease-name", flags.lease_name, "the Lease's name")
      ->default_val(flags.lease_name);
  command.add_option("--lease-namespace", flags.lease_namespace,
                     "the Lease's namespace (default: $POD_NAMESPACE, else the watched one)");
  command.add_option("--leader-elect-identity", flags.identity,
                     "this replica's name in the Lease (default: $POD_NAME, else the host name)");
  command
      .add_option("--lease-duration", flags.lease_duration,
                  "how long a standby waits for an unrenewed Lease before taking over")
      ->default_val(flags.lease_duration);
  command
      .add_option("--renew-deadline", flags.renew_deadline,
                  "a leader that has not renewed for this long stops sending and exits")
      ->default_val(flags.renew_deadline);
  command.add_option("--retry-period", flags.retry_period, "between attempts to acquire or renew")
      ->default_val(flags.retry_period);
}

std::unique_ptr<LeaderElector> MakeElector(
    const LeaderFlags& flags, const ApiConnection& connection, const std::string& default_namespace,
    std::shared_ptr<StateStore> store, std::shared_ptr<Logger> logger,
    const Observability& observability, const std::string& command_name) {
  LeaderElectionOptions options;
  options.connection = connection;
  options.lease_name = flags.lease_name;
  options.lease_namespace = flags.lease_namespace;
  if (options.lease_namespace.empty()) options.lease_namespace = EnvOr("POD_NAMESPACE");
  if (options.lease_namespace.empty()) options.lease_namespace = default_namespace;
  options.identity = flags.identity;
  if (options.identity.empty()) options.identity = EnvOr("POD_NAME");
  if (options.identity.empty()) {
    char host[256] = "";
    if (::gethostname(host, sizeof(host) - 1) == 0) options.identity = host;
  }
  for (const auto& [flag, text, out] :
       {std::tuple{"--lease-duration", flags.lease_duration, &options.lease_duration},
        std::tuple{"--renew-deadline", flags.renew_deadline, &options.renew_deadline},
        std::tuple{"--retry-period", flags.retry_period, &options.retry_period}}) {
    const std::optional<std::chrono::milliseconds> parsed = ParseDuration(text);
    if (!parsed) {
      std::cerr << command_name << ": " << flag << " \"" << text << "\" is not a duration\n";
      return nullptr;
    }
    *out = *parsed;
  }
  options.annotations = [store, identity = options.identity]() -> std::map<std::string, std::string> {
    Result<std::map<std::string, std::string>> checkpoints = store->Checkpoints();
    if (!checkpoints) return {};
    return {{kHandoverAnnotation, EncodeHandover({std::chrono::system_clock::now(),
                                                  std::move(*checkpoints), identity})}};
  };
  options.logger = std::move(logger);
  options.metrics = observability.metrics;
  options.readiness = observability.readiness;
  Result<std::unique_ptr<LeaderElector>> elector = LeaderElector::Make(std::move(options));
  if (!elector) {
    std::cerr << command_name << ": " << elector.error().message() << '\n';
    return nullptr;
  }
  observability.readiness->Pass("leader-election", "not decided yet");
  return std::move(*elector);
}

void ApplyHandover(const LeaderElector& elector, const LeaderFlags& flags,
                   KubeEventSourceOptions& source, Logger& logger) {
  const std::map<std::string, std::string> annotations = elector.InheritedAnnotations();
  const auto found = annotations.find(kHandoverAnnotation);
  std::optional<Handover> handover;
  if (found != annotations.end()) handover = DecodeHandover(found->second);
  // A leader that stopped gracefully released the Lease: no holder, but its handover names it.
  std::string previous = elector.PreviousHolder();
  if (previous.empty() && handover) previous = handover->holder;
  if (previous.empty()) return;  // nobody led before: the local state decides
  if (!handover || handover->checkpoints.empty()) {
    if (previous != flags.identity) {
      logger.Log(LogLevel::kWarning, "taking over from " + previous +
                                         ", which left no checkpoints on the Lease; starting "
                                         "from the local state");
    }
    return;
  }
  // The margin covers what the last leader committed after writing its handover, and clock
  // skew: the transitions in it are notified again, with their original ids.
  const auto margin = ParseDuration(flags.lease_duration).value_or(std::chrono::seconds(15));
  const auto from = handover->at - margin;
  source.resume_after = from;
  source.resume_from = handover->checkpoints;
  source.reconcile_after = from;
  std::string where;
  for (const auto& [scope, version] : handover->checkpoints) {
    where += (where.empty() ? "" : ", ") + scope + " at " + version;
  }
  logger.Log(LogLevel::kInfo,
             "taking over from " + previous + ": resuming its watches (" + where + ")");
}

}  // namespace kfpevents::cli
