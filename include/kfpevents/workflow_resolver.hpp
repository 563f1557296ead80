// WorkflowResolver: an event's workflow namespace/name/uid -> the workflow's summary.
#pragma once

#include <stop_token>
#include <string>

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents {

// Which workflow an event is about (see WorkflowOf() in argo.hpp).
struct WorkflowRef {
  std::string namespace_name;
  std::string name;
  std::string uid;  // may be empty for events that do not carry it
  // What the event reports, so that a cache can tell whether its copy is recent enough:
  std::string resource_version;  // the workflow's resourceVersion the event saw ("" if unknown)
  std::string node_name;         // the node's full name; "" for workflow-level events
  std::string phase;             // the phase reached: "Succeeded" for WorkflowNodeSucceeded, ...
};

class KFPEVENTS_EXPORT WorkflowResolver {
 public:
  WorkflowResolver() = default;
  WorkflowResolver(const WorkflowResolver&) = delete;
  WorkflowResolver& operator=(const WorkflowResolver&) = delete;
  virtual ~WorkflowResolver();

  // Looks the workflow up. Errors: kNotFound when it no longer exists (the pipeline still
  // notifies from what the event carries), kUnavailable for transient failures, kCancelled
  // when `stop` was requested.
  //
  // Threading: called from the pipeline's source thread only, never concurrently.
  // Blocking: may block on the network; returns promptly once `stop` is requested.
  // `ref` is valid for the duration of the call only.
  // The summary is shared and immutable: a cache hands out the same one for every event of a
  // Workflow version instead of a copy each.
  virtual Result<SharedWorkflowInfo> Resolve(const WorkflowRef& ref, std::stop_token stop) = 0;
};

}  // namespace kfpevents
