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
inline constexpr const char* kRunNameAnnotation = "pipelines.kubeflow.org/run_name";
// What Kubernetes puts before the newest message of an Event that combines similar ones.
inline constexpr const char* kCombinedEventPrefix = "(combined from similar events): ";

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

// The step's display name for the payload's NodeName: for a task of a KFP 2.x run, its task name
// with loop indices ("train", "train[2]"); else the `displayName` of the workflow node with that
// full name when the workflow is at hand, else derived from the full name the way the original
// tool did ("wf.dataprocessing" -> "dataprocessing", "wf[0].step" -> "step",
// "wf.train(1)" -> "train(1)"). "" for workflow-level events.
KFPEVENTS_EXPORT std::string NodeDisplayName(const WorkflowEvent& event,
                                             const WorkflowInfo* workflow);

// The KFP run id (the `pipeline/runid` label), "" when absent or unresolved.
KFPEVENTS_EXPORT std::string KfpRunId(const WorkflowInfo* workflow);

// The pipeline's name: on KFP 1.x runs the `name` in the `pipelines.kubeflow.org/pipeline_spec`
// annotation, on KFP 2.x runs the workflow's generateName without its final '-' (the compiler
// names runs "<pipeline>-"); "" when absent, unreadable or no workflow.
KFPEVENTS_EXPORT std::string PipelineName(const WorkflowInfo* workflow);

// How a run ended, in one word, for a workflow-level end event: Succeeded, Failed, Error (the
// workflow's phase Error), TimedOut (WorkflowTimedOut, or a deadline in the workflow's message);
// for other events the workflow's phase ("Running"), else the event's phase.
KFPEVENTS_EXPORT std::string RunOutcome(const WorkflowEvent& event, const WorkflowInfo* workflow);

// The run's name as its user gave it (the `pipelines.kubeflow.org/run_name` annotation of
// one-off runs); "" when absent or no workflow.
KFPEVENTS_EXPORT std::string RunName(const WorkflowInfo* workflow);

// True for an event about a node of a KFP 2.x run that is the compiler's plumbing, not one of
// the pipeline's tasks: drivers, root, executors and retry wrappers, loop scaffolding and the
// workflow's own top node. Judged from the workflow's summary, or by the node's name when the
// summary lacks it. False for workflow-level events and for KFP 1.x and plain Argo runs.
KFPEVENTS_EXPORT bool IsKfpV2Plumbing(const WorkflowEvent& event, const WorkflowInfo* workflow);

// The id of the node an event is about: its node-id annotation, else the id of the workflow's
// node with that full name; "" for workflow-level events or when unknown.
KFPEVENTS_EXPORT std::string NodeId(const WorkflowEvent& event, const WorkflowInfo* workflow);

// The node of `workflow` with this full name, or nullptr.
KFPEVENTS_EXPORT const NodeSummary* FindNodeByName(const WorkflowInfo& workflow,
                                                   const std::string& full_name);

}  // namespace kfpevents
