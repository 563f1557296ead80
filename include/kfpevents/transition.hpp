// The key that names a transition, used as every message's stable id (`webhook-id`).
#pragma once

#include <string>

#include "kfpevents/export.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents {

// What a transition is, independent of the Event object that reported it:
// "<workflow uid>/<node id, or empty for the workflow>/<reason>/<start time>".
// The start time (the node-start-time annotation, else the node's or workflow's startedAt)
// tells a retried node's second failure from a duplicate record of the first. Missing parts
// fall back to what the event carries (namespace/name for the uid, the node's name for its id).
// WorkflowTimedOut is keyed as WorkflowFailed: Workflow status shows a timeout as a failure, and
// either path must name it the same way.
KFPEVENTS_EXPORT std::string TransitionKey(const WorkflowEvent& event,
                                           const WorkflowInfo* workflow);

// A compact, header-safe message id derived from a transition key: "msg_" + 32 hex digits
// (the first 128 bits of the key's SHA-256). Stable across versions and restarts.
KFPEVENTS_EXPORT std::string MessageIdForKey(const std::string& transition_key);

}  // namespace kfpevents
