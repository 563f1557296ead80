#include "daemon/handover.hpp"

namespace kfpevents::daemon {

std::function<std::map<std::string, std::string>()> HandoverWriter(
    std::shared_ptr<StateStore> store, std::string identity) {
  return [store = std::move(store),
          identity = std::move(identity)]() -> std::map<std::string, std::string> {
    Result<std::map<std::string, std::string>> checkpoints = store->Checkpoints();
    if (!checkpoints) return {};
    return {{kHandoverAnnotation,
             EncodeHandover({std::chrono::system_clock::now(), std::move(*checkpoints), identity})}};
  };
}

void ApplyHandover(const LeaderElector& elector, const std::string& identity,
                   std::chrono::milliseconds lease_duration, KubeEventSourceOptions& source,
                   Logger& logger) {
  const std::map<std::string, std::string> annotations = elector.InheritedAnnotations();
  const auto found = annotations.find(kHandoverAnnotation);
  std::optional<Handover> handover;
  if (found != annotations.end()) handover = DecodeHandover(found->second);
  // A leader that stopped gracefully released the Lease: no holder, but its handover names it.
  std::string previous = elector.PreviousHolder();
  if (previous.empty() && handover) previous = handover->holder;
  if (previous.empty()) return;  // nobody led before: the local state decides
  if (!handover || handover->checkpoints.empty()) {
    if (previous != identity) {
      logger.Log(LogLevel::kWarning, "taking over from " + previous +
                                         ", which left no checkpoints on the Lease; starting "
                                         "from the local state");
    }
    return;
  }
  const auto from = handover->at - lease_duration;
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

}  // namespace kfpevents::daemon
