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

std::size_t StringBytes(const std::string& text) {
  return sizeof(std::string) + (text.capacity() > 15 ? text.capacity() : 0);
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

std::size_t EstimateBytes(const WorkflowInfo& info) {
  constexpr std::size_t kMapNode = 48;  // red-black tree node overhead per entry
  std::size_t bytes = sizeof(WorkflowInfo);
  for (const std::string* text :
       {&info.namespace_name, &info.name, &info.uid, &info.resource_version, &info.phase,
        &info.message, &info.started_at, &info.finished_at}) {
    bytes += StringBytes(*text) - sizeof(std::string);
  }
  for (const auto* map : {&info.labels, &info.annotations}) {
    for (const auto& [key, value] : *map) bytes += kMapNode + StringBytes(key) + StringBytes(value);
  }
  for (const auto& [name, value] : info.parameters) bytes += StringBytes(name) + StringBytes(value);
  for (const NodeSummary& node : info.nodes) {
    bytes += sizeof(NodeSummary);
    for (const std::string* text :
         {&node.id, &node.name, &node.display_name, &node.type, &node.template_name, &node.phase,
          &node.message, &node.started_at, &node.finished_at}) {
      bytes += StringBytes(*text) - sizeof(std::string);
    }
  }
  return bytes;
}

}  // namespace kfpevents::resolve
