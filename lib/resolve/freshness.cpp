#include "resolve/freshness.hpp"

#include "kfpevents/argo.hpp"

namespace kfpevents::resolve {
namespace {

bool IsTerminal(const std::string& phase) {
  return phase == "Succeeded" || phase == "Failed" || phase == "Error" || phase == "Skipped" ||
         phase == "Omitted";
}

// `have` is `wanted` or a phase that can only come after it.
bool ReachedPhase(const std::string& have, const std::string& wanted) {
  if (have == wanted || IsTerminal(have)) return true;
  return wanted == "Pending" && have == "Running";
}

}  // namespace

bool SummaryKnows(const WorkflowInfo& cached, const WorkflowRef& ref) {
  if (!ref.resource_version.empty() && ref.resource_version == cached.resource_version) {
    return true;
  }
  if (ref.phase.empty()) return true;  // the event reports no phase: any copy tells as much
  if (!ref.node_name.empty()) {
    const NodeSummary* node = FindNodeByName(cached, ref.node_name);
    return node != nullptr && ReachedPhase(node->phase, ref.phase);
  }
  return ReachedPhase(cached.phase, ref.phase);
}

}  // namespace kfpevents::resolve
