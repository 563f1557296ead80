#include "kfpevents/argo.hpp"

#include <rapidjson/document.h>

#include "argo/kfp_v2.hpp"
#include "json/json_fields.hpp"

namespace kfpevents {
namespace {

// "Succeeded node my-wf.train: Error (exit code 1)" -> "my-wf.train".
std::string NodeNameFromMessage(const std::string& message) {
  static constexpr std::string_view kMarker = " node ";
  const std::size_t marker = message.find(kMarker);
  if (marker == std::string::npos || message.find(' ') != marker) return {};
  const std::size_t start = marker + kMarker.size();
  const std::size_t end = message.find(": ", start);
  return message.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The part of a node's full name after its last '.' outside (), [] and {}: Argo joins a step to
// its parent with '.', while loop items in brackets or parentheses may contain dots themselves.
std::string DeriveDisplayName(const std::string& full_name, const std::string& workflow_name) {
  if (full_name == workflow_name) return full_name;  // the root node is named after the workflow
  int depth = 0;
  std::size_t last_dot = std::string::npos;
  for (std::size_t i = 0; i < full_name.size(); ++i) {
    const char c = full_name[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if (c == '.' && depth == 0) last_dot = i;
  }
  if (last_dot != std::string::npos) return full_name.substr(last_dot + 1);
  // "my-wf[0]": a step group directly under the root node.
  if (!workflow_name.empty() && full_name.rfind(workflow_name, 0) == 0) {
    return full_name.substr(workflow_name.size());
  }
  return full_name;
}

}  // namespace

std::string EventAnnotation(const WorkflowEvent& event, const std::string& key) {
  const auto it = event.annotations.find(key);
  return it == event.annotations.end() ? std::string() : it->second;
}

WorkflowRef WorkflowOf(const WorkflowEvent& event) {
  const ObjectReference& object = event.involved_object;
  WorkflowRef ref;
  ref.namespace_name = object.namespace_name.empty() ? event.namespace_name : object.namespace_name;
  if (object.kind == "Workflow" || object.kind.empty()) {
    ref.name = object.name;
    ref.uid = object.uid;
    ref.resource_version = object.resource_version;
  } else {
    ref.name = EventAnnotation(event, kWorkflowNameAnnotation);
    ref.uid = EventAnnotation(event, kWorkflowUidAnnotation);
  }
  ref.node_name = NodeFullName(event);
  ref.phase = EventPhase(event);
  return ref;
}

std::string EventPhase(const WorkflowEvent& event) {
  static constexpr std::string_view kNodePrefix = "WorkflowNode";
  static constexpr std::string_view kWorkflowPrefix = "Workflow";
  const std::string_view reason = event.reason;
  if (reason.rfind(kNodePrefix, 0) == 0) return std::string(reason.substr(kNodePrefix.size()));
  if (reason == "WorkflowTimedOut") return "Failed";
  if (reason.rfind(kWorkflowPrefix, 0) == 0) {
    return std::string(reason.substr(kWorkflowPrefix.size()));
  }
  return {};
}

bool IsNodeEvent(const WorkflowEvent& event) {
  return event.reason.rfind("WorkflowNode", 0) == 0 ||
         event.annotations.count(kNodeNameAnnotation) != 0;
}

std::string NodeFullName(const WorkflowEvent& event) {
  if (!IsNodeEvent(event)) return {};
  std::string name = EventAnnotation(event, kNodeNameAnnotation);
  return name.empty() ? NodeNameFromMessage(event.message) : name;
}

const NodeSummary* FindNodeByName(const WorkflowInfo& workflow, const std::string& full_name) {
  for (const NodeSummary& node : workflow.nodes) {
    if (node.name == full_name) return &node;
  }
  return nullptr;
}

std::string NodeDisplayName(const WorkflowEvent& event, const WorkflowInfo* workflow) {
  const std::string full_name = NodeFullName(event);
  if (full_name.empty()) return {};
  if (workflow != nullptr) {
    const NodeSummary* node = FindNodeByName(*workflow, full_name);
    if (node != nullptr && !node->task.empty()) return node->task;
    if (node != nullptr && !node->display_name.empty()) return node->display_name;
  }
  const std::string workflow_name = workflow != nullptr ? workflow->name : WorkflowOf(event).name;
  std::string derived = DeriveDisplayName(full_name, workflow_name);
  // A KFP 2.x task the summary lacks (its nodes unread): loop iterations still told apart.
  if (workflow != nullptr && workflow->kfp_v2) derived += argo::LoopIndices(full_name);
  return derived;
}

std::string KfpRunId(const WorkflowInfo* workflow) {
  if (workflow == nullptr) return {};
  const auto it = workflow->labels.find(kRunIdLabel);
  return it == workflow->labels.end() ? std::string() : it->second;
}

std::string PipelineName(const WorkflowInfo* workflow) {
  if (workflow == nullptr) return {};
  if (workflow->kfp_v2) {
    const std::string& prefix = workflow->generate_name;
    return prefix.ends_with('-') ? prefix.substr(0, prefix.size() - 1) : prefix;
  }
  const auto it = workflow->annotations.find(kPipelineSpecAnnotation);
  if (it == workflow->annotations.end()) return {};
  rapidjson::Document spec;
  spec.Parse(it->second.c_str(), it->second.size());
  return spec.HasParseError() ? std::string() : json::StringMember(spec, "name");
}

std::string RunName(const WorkflowInfo* workflow) {
  if (workflow == nullptr) return {};
  const auto it = workflow->annotations.find(kRunNameAnnotation);
  return it == workflow->annotations.end() ? std::string() : it->second;
}

std::string RunOutcome(const WorkflowEvent& event, const WorkflowInfo* workflow) {
  const std::string message = workflow ? workflow->message : event.message;
  if (event.reason == "WorkflowTimedOut" ||
      message.find("exceeded its deadline") != std::string::npos ||
      message.find("Max duration limit exceeded") != std::string::npos) {
    return "TimedOut";
  }
  if (event.reason == "WorkflowSucceeded") return "Succeeded";
  if (event.reason == "WorkflowFailed") {
    return workflow && workflow->phase == "Error" ? "Error" : "Failed";
  }
  if (workflow && !workflow->phase.empty()) return workflow->phase;
  return EventPhase(event);
}

bool IsKfpV2Plumbing(const WorkflowEvent& event, const WorkflowInfo* workflow) {
  if (workflow == nullptr || !workflow->kfp_v2) return false;
  const std::string full_name = NodeFullName(event);
  if (full_name.empty()) return false;
  const NodeSummary* node = FindNodeByName(*workflow, full_name);
  return node != nullptr ? node->task.empty()
                         : argo::LooksLikeKfpV2Plumbing(full_name, workflow->name);
}

std::string NodeId(const WorkflowEvent& event, const WorkflowInfo* workflow) {
  std::string id = EventAnnotation(event, kNodeIdAnnotation);
  if (!id.empty() || workflow == nullptr) return id;
  const std::string full_name = NodeFullName(event);
  const NodeSummary* node = full_name.empty() ? nullptr : FindNodeByName(*workflow, full_name);
  return node != nullptr ? node->id : std::string();
}

}  // namespace kfpevents
