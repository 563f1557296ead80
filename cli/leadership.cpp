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

std::optional<LeaderElectionOptions> LeaderOptions(const LeaderFlags& flags,
                                                   const ApiConnection& connection,
                                                   const std::string& default_namespace,
                                                   const std::string& command_name) {
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
      return std::nullopt;
    }
    *out = *parsed;
  }
  return options;
}

}  // namespace kfpevents::cli
