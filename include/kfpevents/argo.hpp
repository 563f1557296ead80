// What Argo's events and workflows mean: shared by every formatter and by the pipeline.
#pragma once

#include <string>

#include "kfpevents/export.hpp"
#include "kfpevents/types.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents {

// Annotations Argo's controller puts on node events (older controllers set only the first two).
inline constexpr const char* kNodeNameAnnotation = "workflows.argoproj.io/node-name";
inline constexpr const char* kNodeTypeAnnotation = "workflows.argoproj.io/node-type";
inline constexpr const char* kNodeIdAnnotation = "workflows.argoproj.io/node-id";
inline constexpr const char* kNodeStartTimeAnnotation = "workflows.argoproj.io/node-start-time";
// With `nodeEvents.sendAsPod`, node events are about the Pod and name the workflow here.
inline constexpr const char* kWorkflowNameAnnotation = "workflows.argoproj.io/workflow-name";
inline constexpr const char* kWorkflowUidAnnotation = "workflows.argoproj.io/workflow-uid";
// The label KFP (v1 and v2 backends) puts on every run's Workflow.
inline constexpr const char* kRunIdLabel = "pipeline/runid";
inline constexpr const char* kPipelineSpecAnnotation = "pipelines.kubeflow.org/pipeline_spec";

// The event's annotation `key`, "" when absent.
KFPEVENTS_EXPORT std::string EventAnnotation(const WorkflowEvent& event, const std::string& key);

// The workflow an event is about: its involved object, or the workflow annotations when the
// event is about a Pod; with the node and phase the event reports.
KFPEVENTS_EXPORT WorkflowRef WorkflowOf(const WorkflowEvent& event);

// The phase an event reports: "Succeeded" for WorkflowNodeSucceeded and WorkflowSucceeded,
// "Failed" for WorkflowFailed and WorkflowTimedOut, ...; "" for other reasons.
KFPEVENTS_EXPORT std::string EventPhase(const WorkflowEvent& event);

// True for `WorkflowNode<Phase>` events (or any event carrying a node-name annotation).
KFPEVENTS_EXPORT bool IsNodeEvent(const WorkflowEvent& event);

// The node's full name: the node-name annotation, else parsed from "<Phase> node <name>[: ...]".
// "" for workflow-level events or when neither is there.
KFPEVENTS_EXPORT std::string NodeFullName(const WorkflowEvent& event);

// The step's display name for the payload's NodeName: the `displayName` of the workflow node
// with that full name when the workflow is at hand, else derived from the full name the way the
// original tool did ("wf.dataprocessing" -> "dataprocessing", "wf[0].step" -> "step",
// "wf.train(1)" -> "train(1)"). "" for workflow-level events.
KFPEVENTS_EXPORT std::string NodeDisplayName(const WorkflowEvent& event,
                                             const WorkflowInfo* workflow);

// The KFP run id (the `pipeline/runid` label), "" when absent or unresolved.
KFPEVENTS_EXPORT std::string KfpRunId(const WorkflowInfo* workflow);

// The pipeline's name, from the `name` in the `pipelines.kubeflow.org/pipeline_spec` annotation
// that KFP puts on its workflows; "" when absent, unreadable or no workflow.
KFPEVENTS_EXPORT std::string PipelineName(const WorkflowInfo* workflow);

// The id of the node an event is about: its node-id annotation, else the id of the workflow's
// node with that full name; "" for workflow-level events or when unknown.
KFPEVENTS_EXPORT std::string NodeId(const WorkflowEvent& event, const WorkflowInfo* workflow);

// The node of `workflow` with this full name, or nullptr.
KFPEVENTS_EXPORT const NodeSummary* FindNodeByName(const WorkflowInfo& workflow,
                                                   const std::string& full_name);

}  // namespace kfpevents
