#include "argo/status_transitions.hpp"

#include "core/rfc3339.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::argo {
namespace {

bool Started(const std::string& phase) {
  return phase == "Running" || phase == "Succeeded" || phase == "Failed" || phase == "Error";
}

bool Terminal(const std::string& phase) {
  return phase == "Succeeded" || phase == "Failed" || phase == "Error";
}

WorkflowEvent EventFor(const WorkflowInfo& workflow, std::string reason, std::string message,
                       const std::string& time) {
  WorkflowEvent event;
  event.namespace_name = workflow.namespace_name;
  event.name = workflow.name + ".status";
  event.reason = std::move(reason);
  event.message = std::move(message);
  event.type = "Normal";
  event.source_component = kReconcilerComponent;
  event.involved_object = {"Workflow", workflow.namespace_name, workflow.name, workflow.uid,
                           workflow.resource_version};
  event.first_timestamp = event.last_timestamp = time;
  return event;
}

WorkflowEvent NodeEventFor(const WorkflowInfo& workflow, const NodeSummary& node,
                           const std::string& phase, const std::string& time) {
  std::string message = phase + " node " + node.name;
  if (phase != "Running" && !node.message.empty()) message += ": " + node.message;
  WorkflowEvent event = EventFor(workflow, "WorkflowNode" + phase, std::move(message), time);
  if (phase != "Running" && phase != "Succeeded") event.type = "Warning";
  event.annotations[kNodeNameAnnotation] = node.name;
  event.annotations[kNodeTypeAnnotation] = node.type;
  event.annotations[kNodeIdAnnotation] = node.id;
  // As the controller writes it: Unix nanoseconds of the node's start.
  if (const auto seconds = ParseRfc3339Seconds(node.started_at)) {
    event.annotations[kNodeStartTimeAnnotation] = std::to_string(*seconds) + "000000000";
  }
  return event;
}

}  // namespace

std::vector<WorkflowEvent> StatusTransitions(const WorkflowInfo& workflow) {
  std::vector<WorkflowEvent> events;
  if (Started(workflow.phase) && !workflow.started_at.empty()) {
    events.push_back(
        EventFor(workflow, "WorkflowRunning", "Workflow Running", workflow.started_at));
  }
  for (const NodeSummary& node : workflow.nodes) {
    if (!Started(node.phase) || node.started_at.empty()) continue;
    events.push_back(NodeEventFor(workflow, node, "Running", node.started_at));
    if (Terminal(node.phase) && !node.finished_at.empty()) {
      events.push_back(NodeEventFor(workflow, node, node.phase, node.finished_at));
    }
  }
  if (Terminal(workflow.phase) && !workflow.finished_at.empty()) {
    if (workflow.phase == "Succeeded") {
      events.push_back(
          EventFor(workflow, "WorkflowSucceeded", "Workflow completed", workflow.finished_at));
    } else {
      WorkflowEvent failed =
          EventFor(workflow, "WorkflowFailed", workflow.message, workflow.finished_at);
      failed.type = "Warning";
      events.push_back(std::move(failed));
    }
  }
  return events;
}

}  // namespace kfpevents::argo
