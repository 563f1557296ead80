// Kubernetes Event and Argo Workflow JSON -> the library's value types.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::argo {

// A core/v1 Event object. Errors (kInvalidArgument) name the missing field: an event needs a
// reason and an involved object with a name.
Result<WorkflowEvent> DecodeEvent(const rapidjson::Value& object);

// An argoproj.io/v1alpha1 Workflow object, summarized. Errors (kInvalidArgument) when it has no
// metadata.name. A workflow whose nodes were offloaded or compressed decodes with no nodes.
Result<WorkflowInfo> DecodeWorkflow(const rapidjson::Value& object);

// The same summary straight from JSON text, as it is parsed: no DOM of the whole object is
// built, so a multi-megabyte Workflow costs little more than its summary. Errors
// (kInvalidArgument) for invalid JSON too.
Result<WorkflowInfo> SummarizeWorkflow(std::string_view json);

}  // namespace kfpevents::argo
