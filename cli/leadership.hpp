// `watch --leader-elect`: the flags, the elector, and taking over from the previous leader.
#pragma once

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/leader.hpp"
#include "kfpevents/state.hpp"
#include "observability.hpp"

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

// The elector for `flags`, writing this replica's checkpoints from `store` at each renewal. On
// bad flags prints why, prefixed by `command_name`, and returns null.
std::unique_ptr<LeaderElector> MakeElector(
    const LeaderFlags& flags, const ApiConnection& connection, const std::string& default_namespace,
    std::shared_ptr<StateStore> store, std::shared_ptr<Logger> logger,
    const Observability& observability, const std::string& command_name);

// After taking the Lease over from another replica: resume the watches where it left them
// (its handover annotation), less a margin, unless there is none.
void ApplyHandover(const LeaderElector& elector, const LeaderFlags& flags,
                   KubeEventSourceOptions& source, Logger& logger);

}  // namespace kfpevents::cli
