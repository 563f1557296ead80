// `watch --leader-elect`: the flags, and the Lease settings they make (RunDaemon leads with them).
#pragma once

#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/leader.hpp"

namespace kfpevents::cli {

struct LeaderFlags {
  bool enabled = false;
  std::string lease_name = "kfp-eventd";
  std::string lease_namespace;  // default: the pod's namespace
  std::string identity;         // default: $POD_NAME, else the host name
  std::string lease_duration = "15s";
  std::string renew_deadline = "10s";
  std::string retry_period = "2s";
};

void AddLeaderFlags(CLI::App& command, LeaderFlags& flags);

// The Lease settings for `flags`: its namespace ($POD_NAMESPACE, else `default_namespace`) and
// this replica's identity ($POD_NAME, else the host name) when the flags leave them out. On bad
// durations prints why, prefixed by `command_name`, and returns nothing.
std::optional<LeaderElectionOptions> LeaderOptions(const LeaderFlags& flags,
                                                   const ApiConnection& connection,
                                                   const std::string& default_namespace,
                                                   const std::string& command_name);

}  // namespace kfpevents::cli
