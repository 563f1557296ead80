// Workflow status as transitions: the Events Argo would have recorded for what a Workflow's
// status shows, so the reconciler can notify what the Event path missed with the same payload,
// reason and key.
#pragma once

#include <vector>

#include "kfpevents/types.hpp"

namespace kfpevents::argo {

// The marker on synthesized events (their source component).
inline constexpr const char* kReconcilerComponent = "kfp-eventd-reconciler";

// In order: WorkflowRunning; for each node (as listed), WorkflowNodeRunning and then its
// terminal WorkflowNode<Phase> (Succeeded, Failed, Error); then the workflow's terminal
// WorkflowSucceeded or WorkflowFailed (Failed and Error phases alike). Only transitions with a
// time are returned; each event's lastTimestamp is that time (startedAt for Running,
// finishedAt for the rest). Messages follow Argo's: "Workflow Running", "Workflow completed",
// the workflow's failure message, "<Phase> node <name>[: <node message>]" (Running without it).
std::vector<WorkflowEvent> StatusTransitions(const WorkflowInfo& workflow);

}  // namespace kfpevents::argo
