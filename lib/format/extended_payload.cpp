#include "format/extended_payload.hpp"

#include <rapidjson/document.h>

#include "format/kfp_keys.hpp"
#include "json/go_json.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::format {
namespace {

// A typed value (KFP 2.x) as the JSON it was read as; a string, or a value that is not valid
// JSON (a summary built by hand), as a string escaped as Go does, so the body stays valid.
void AppendParameterValue(std::string& out, const Parameter& parameter) {
  if (parameter.type != ParameterType::kString) {
    rapidjson::Document check;
    check.Parse(parameter.value.data(), parameter.value.size());
    if (!check.HasParseError()) {
      out += parameter.value;
      return;
    }
  }
  json::AppendGoString(out, parameter.value);
}

}  // namespace

void AppendExtendedPayload(std::string& out, const Notification& notification,
                           const std::string& message_id) {
  const WorkflowEvent& event = notification.event;
  const WorkflowInfo* workflow = notification.workflow.get();
  const WorkflowRef ref = WorkflowOf(event);
  const NodeSummary* node = workflow != nullptr && !ref.node_name.empty()
                                ? FindNodeByName(*workflow, ref.node_name)
                                : nullptr;

  AppendKfpKeys(out, notification);
  json::AppendGoMember(out, "MessageId", message_id);
  json::AppendGoMember(out, "Namespace", ref.namespace_name);
  json::AppendGoMember(out, "WorkflowUid",
                       workflow != nullptr && !workflow->uid.empty() ? workflow->uid : ref.uid);
  json::AppendGoMember(out, "PipelineName", PipelineName(workflow));
  json::AppendGoMember(out, "RunName", RunName(workflow));
  json::AppendGoMember(out, "WorkflowPhase", workflow != nullptr ? workflow->phase : std::string());
  json::AppendGoMember(out, "WorkflowStartedAt", workflow != nullptr ? workflow->started_at : "");
  json::AppendGoMember(out, "WorkflowFinishedAt", workflow != nullptr ? workflow->finished_at : "");
  json::AppendGoMember(out, "NodeId", NodeId(event, workflow));
  json::AppendGoMember(out, "NodeFullName", ref.node_name);
  json::AppendGoMember(out, "NodePhase",
                       node != nullptr         ? node->phase
                       : ref.node_name.empty() ? std::string()
                                               : ref.phase);
  json::AppendGoMember(out, "EventTime", event.last_timestamp);
  json::AppendGoMember(out, "FirstTimestamp", event.first_timestamp);
  out += ",\"Count\":" + std::to_string(event.count);
  out += ",\"Parameters\":{";
  if (workflow != nullptr) {
    bool first = true;
    for (const Parameter& parameter : workflow->parameters) {
      if (!first) out += ',';
      first = false;
      json::AppendGoString(out, parameter.name);
      out += ':';
      AppendParameterValue(out, parameter);
    }
  }
  out += "}}";
}

}  // namespace kfpevents::format
