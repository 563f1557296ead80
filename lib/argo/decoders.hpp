// Kubernetes Event and Argo Workflow JSON -> the library's value types.
#pragma once

#include <rapidjson/document.h>

#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::argo {

// A core/v1 Event object. Errors (kInvalidArgument) name the missing field: an event needs a
// reason and an involved object with a name.
Result<WorkflowEvent> DecodeEvent(const rapidjson::Value& object);

// An argoproj.io/v1alpha1 Workflow object, summarized. Errors (kInvalidArgument) when it has no
// metadata.name. A workflow whose nodes were offloaded or compressed decodes with no nodes.
Result<WorkflowInfo> DecodeWorkflow(const rapidjson::Value& object);

}  // namespace kfpevents::argo
