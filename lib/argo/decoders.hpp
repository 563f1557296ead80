// Kubernetes Event and Argo Workflow JSON -> the library's value types.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::argo {

// A core/v1 Event object. Errors (kInvalidArgument) name the missing field: an event needs a
// reason and an involved object with a name.
Result<WorkflowEvent> DecodeEvent(const rapidjson::Value& object);

// An argoproj.io/v1alpha1 Workflow object, summarized straight from its JSON text with an
// on-demand reader (json/on_demand.hpp): no DOM is built and what the summary does not need is
// skipped by its structure, so a multi-megabyte Workflow costs little more than a scan. Errors
// (kInvalidArgument) for invalid JSON in what is read or in the structure, and when there is no
// metadata.name. Nodes that Argo compressed (status.compressedNodes) are inflated, to at most
// 64 MB; a workflow whose nodes were offloaded, or cannot be inflated, has none, and
// `nodes_unread` says why.
// `capacity`: the bytes allocated at json.data() (a std::string's capacity()); with
// json::kOnDemandPadding of them to spare, the text is read where it is instead of copied.
Result<WorkflowInfo> SummarizeWorkflow(std::string_view json, std::size_t capacity = 0);

// One line of a Workflow watch, read without a DOM.
struct WorkflowWatchLine {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  std::string resource_version;
  std::string uid;
  Result<WorkflowInfo> workflow = Status::NotFound("no workflow");  // ADDED/MODIFIED/DELETED
  int status_code = 0;                                              // ERROR
  std::string status_reason;
  std::string status_message;
};
Result<WorkflowWatchLine> SummarizeWorkflowWatchLine(std::string_view line);

// One page of a Workflow list, each item summarized as it is parsed.
struct WorkflowListPage {
  std::string resource_version;
  std::string continue_token;
  std::vector<WorkflowInfo> workflows;
  std::vector<std::string> bad_items;  // why each unreadable item was skipped
};
Result<WorkflowListPage> SummarizeWorkflowList(std::string_view body, std::size_t capacity = 0);

}  // namespace kfpevents::argo
