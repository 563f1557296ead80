// The data that flows through the pipeline: plain value types, copyable, no behaviour.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kfpevents {

// The object a Kubernetes Event is about (its `involvedObject`).
struct ObjectReference {
  std::string kind;  // "Workflow", or "Pod" when Argo records node events about pods
  std::string namespace_name;
  std::string name;
  std::string uid;
  std::string resource_version;  // the object's resourceVersion when the event was recorded
};

// The fields of a core/v1 Event that a workflow notification needs.
struct WorkflowEvent {
  std::string uid;
  std::string namespace_name;
  std::string name;
  std::string resource_version;  // opaque: compare for equality only
  std::string reason;            // e.g. "WorkflowNodeSucceeded"; becomes the payload's EventType
  std::string message;
  std::string type;              // "Normal" or "Warning"
  std::string source_component;  // "workflow-controller" for Argo's events
  ObjectReference involved_object;
  std::map<std::string, std::string> annotations;
  std::int64_t count = 1;       // Kubernetes aggregates repeats into one Event with a higher count
  std::string first_timestamp;  // RFC 3339 as recorded by the API server
  std::string last_timestamp;
  // The watch that delivered it, where a restart may resume: "*" (all namespaces) or the
  // namespace. "" when it must not move a checkpoint (listed, replayed or reconciled events).
  std::string checkpoint_scope;
  // When this process took the event in (off the watch, or from a replayed file); delivery
  // latency counts from here. Unset (epoch) for events made elsewhere: from their commit.
  std::chrono::system_clock::time_point received{};
};

// One entry of an Argo Workflow's `status.nodes`, without its inputs and outputs.
struct NodeSummary {
  std::string id;
  std::string name;          // full name, e.g. "my-wf.train" or "my-wf[0].step"
  std::string display_name;  // e.g. "train"
  std::string type;          // Pod, DAG, Steps, Retry, ...
  std::string template_name;
  std::string phase;
  std::string message;
  std::string started_at;
  std::string finished_at;
  // KFP 2.x runs only: the pipeline task this node is, as the KFP UI names it, with the index of
  // each enclosing ParallelFor iteration ("train", "train[2]", "train[0][1]"). "" for the
  // compiler's plumbing (drivers, root, executors, loop scaffolding), and for every node of a
  // KFP 1.x run or plain Argo Workflow, whose nodes are their tasks. A task's driver that failed
  // names its task: the task never ran, and the driver's failure is the task's.
  std::string task;
};

// How a run parameter's value is typed. KFP 2.x runs carry typed values; KFP 1.x and plain Argo
// parameters are strings.
enum class ParameterType { kString, kNumber, kBool, kList, kStruct, kNull };

struct Parameter {
  std::string name;
  // A string as it is; any other type as compact JSON ("10", "0.5", "true", "[1,2]", "null").
  std::string value;
  ParameterType type = ParameterType::kString;

  bool operator==(const Parameter&) const = default;
};

// A compact summary of an Argo Workflow: what a notification needs, never the whole object.
struct WorkflowInfo {
  std::string namespace_name;
  std::string name;
  std::string generate_name;  // metadata.generateName: "<pipeline name>-" on KFP 2.x runs
  std::string uid;
  std::string resource_version;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string phase;  // Pending, Running, Succeeded, Failed, Error
  std::string message;
  std::string started_at;
  std::string finished_at;
  // The run's own parameters: on KFP 2.x runs from the root driver's runtime-config (typed),
  // otherwise spec.arguments (strings), in order. Never the KFP 2.x compiler's data.
  std::vector<Parameter> parameters;
  bool kfp_v2 = false;  // compiled by KFP 2.x's backend: nodes carry their `task`
  std::vector<NodeSummary> nodes;
  // Why `nodes` is empty although the run has nodes: its node status was offloaded to Argo's
  // database, or its status.compressedNodes could not be read. "" otherwise.
  std::string nodes_unread;
};

// A summary as resolvers hand it out: shared by every notification of the same Workflow version
// rather than copied for each, and never changed once made.
using SharedWorkflowInfo = std::shared_ptr<const WorkflowInfo>;

// One transition to notify: the event, the workflow it belongs to when that could be resolved,
// and the stable key that names the transition (see transition.hpp).
struct Notification {
  WorkflowEvent event;
  SharedWorkflowInfo workflow;  // null when it could not be resolved
  std::string key;
};

// What a formatter produces and a subscriber sends.
struct Message {
  std::string id;  // stable per transition: the same on every retry and restart
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  // Where to send it when not to the subscriber's configured address: a per-run callback (the
  // Azure DevOps plan events URL). "" for the subscriber's own.
  std::string destination;
};

}  // namespace kfpevents
