// Leading among replicas: what a leader writes on the Lease for whoever leads next (where its
// watches are), and how a new leader resumes from it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "kfpevents/kube.hpp"
#include "kfpevents/leader.hpp"
#include "kfpevents/state.hpp"

namespace kfpevents::daemon {

// The Lease annotations a leader writes at each renewal: its checkpoints from `store`, the time
// and `identity` (kHandoverAnnotation). None when the checkpoints cannot be read.
std::function<std::map<std::string, std::string>()> HandoverWriter(
    std::shared_ptr<StateStore> store, std::string identity);

// After taking the Lease over: resume `source`'s watches and reconciliation where the previous
// leader's handover says, less `lease_duration` (what it committed after writing it, and clock
// skew; those transitions are notified again under their ids). Nothing changes when nobody led
// before, or the handover has no checkpoints (the local state decides; said when another led).
void ApplyHandover(const LeaderElector& elector, const std::string& identity,
                   std::chrono::milliseconds lease_duration, KubeEventSourceOptions& source,
                   Logger& logger);

}  // namespace kfpevents::daemon
