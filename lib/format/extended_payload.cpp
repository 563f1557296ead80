#include "format/extended_payload.hpp"

#include "json/go_json.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::format {
namespace {

void AppendMember(std::string& out, const char* key, const std::string& value) {
  out += ",\"";
  out += key;
  out += "\":";
  json::AppendGoString(out, value);
}

}  // namespace

void AppendExtendedPayload(std::string& out, const Notification& notification,
                           const std::string& message_id) {
  const WorkflowEvent& event = notification.event;
  const WorkflowInfo* workflow = notification.workflow ? &*notification.workflow : nullptr;
  const WorkflowRef ref = WorkflowOf(event);
  const NodeSummary* node = workflow != nullptr && !ref.node_name.empty()
                                ? FindNodeByName(*workflow, ref.node_name)
                                : nullptr;

  out += "{\"KfpRunId\":";
  json::AppendGoString(out, KfpRunId(workflow));
  AppendMember(out, "WorkflowName", workflow != nullptr ? workflow->name : ref.name);
  AppendMember(out, "NodeName", NodeDisplayName(event, workflow));
  AppendMember(out, "EventType", event.reason);
  AppendMember(out, "Message", event.message);
  AppendMember(out, "MessageId", message_id);
  AppendMember(out, "Namespace", ref.namespace_name);
  AppendMember(out, "WorkflowUid",
               workflow != nullptr && !workflow->uid.empty() ? workflow->uid : ref.uid);
  AppendMember(out, "PipelineName", PipelineName(workflow));
  AppendMember(out, "WorkflowPhase", workflow != nullptr ? workflow->phase : std::string());
  AppendMember(out, "WorkflowStartedAt", workflow != nullptr ? workflow->started_at : "");
  AppendMember(out, "WorkflowFinishedAt", workflow != nullptr ? workflow->finished_at : "");
  AppendMember(out, "NodeId", NodeId(event, workflow));
  AppendMember(out, "NodeFullName", ref.node_name);
  AppendMember(out, "NodePhase",
               node != nullptr         ? node->phase
               : ref.node_name.empty() ? std::string()
                                       : ref.phase);
  AppendMember(out, "EventTime", event.last_timestamp);
  AppendMember(out, "FirstTimestamp", event.first_timestamp);
  out += ",\"Count\":" + std::to_string(event.count);
  out += ",\"Parameters\":{";
  if (workflow != nullptr) {
    bool first = true;
    for (const auto& [name, value] : workflow->parameters) {
      if (!first) out += ',';
      first = false;
      json::AppendGoString(out, name);
      out += ':';
      json::AppendGoString(out, value);
    }
  }
  out += "}}";
}

}  // namespace kfpevents::format
