#include "format/extended_payload.hpp"

#include "format/kfp_keys.hpp"
#include "json/go_json.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::format {
void AppendExtendedPayload(std::string& out, const Notification& notification,
                           const std::string& message_id) {
  const WorkflowEvent& event = notification.event;
  const WorkflowInfo* workflow = notification.workflow ? &*notification.workflow : nullptr;
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
