// The original tool's payload. Its subscribers parse these bytes, so nothing here changes
// without a new format name.
#include "format/kfp_keys.hpp"
#include "json/go_json.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents {

void format::AppendKfpKeys(std::string& out, const Notification& notification) {
  const WorkflowEvent& event = notification.event;
  const WorkflowInfo* workflow = notification.workflow.get();
  out += "{\"KfpRunId\":";
  json::AppendGoString(out, KfpRunId(workflow));
  json::AppendGoMember(out, "WorkflowName",
                       workflow != nullptr ? workflow->name : WorkflowOf(event).name);
  json::AppendGoMember(out, "NodeName", NodeDisplayName(event, workflow));
  json::AppendGoMember(out, "EventType", event.reason);
  json::AppendGoMember(out, "Message", event.message);
}

namespace {

class KfpFormatter final : public MessageFormatter {
 public:
  Result<Message> Format(const Notification& notification) const override {
    Message message;
    message.id = MessageIdForKey(notification.key);
    message.content_type = "application/json";
    message.body.reserve(160 + notification.event.message.size());
    format::AppendKfpKeys(message.body, notification);
    message.body += '}';
    return message;
  }
};

}  // namespace

std::unique_ptr<MessageFormatter> MakeKfpFormatter() { return std::make_unique<KfpFormatter>(); }

}  // namespace kfpevents
