// The original tool's payload. Its subscribers parse these bytes, so nothing here changes
// without a new format name.
#include "json/go_json.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents {
namespace {

class KfpFormatter final : public MessageFormatter {
 public:
  Result<Message> Format(const Notification& notification) const override {
    const WorkflowEvent& event = notification.event;
    const WorkflowInfo* workflow = notification.workflow ? &*notification.workflow : nullptr;
    const std::string workflow_name = workflow != nullptr ? workflow->name : WorkflowOf(event).name;

    Message message;
    message.id = MessageIdForKey(notification.key);
    message.content_type = "application/json";
    std::string& body = message.body;
    body.reserve(160 + event.message.size());
    body += "{\"KfpRunId\":";
    json::AppendGoString(body, KfpRunId(workflow));
    body += ",\"WorkflowName\":";
    json::AppendGoString(body, workflow_name);
    body += ",\"NodeName\":";
    json::AppendGoString(body, NodeDisplayName(event, workflow));
    body += ",\"EventType\":";
    json::AppendGoString(body, event.reason);
    body += ",\"Message\":";
    json::AppendGoString(body, event.message);
    body += '}';
    return message;
  }
};

}  // namespace

std::unique_ptr<MessageFormatter> MakeKfpFormatter() { return std::make_unique<KfpFormatter>(); }

}  // namespace kfpevents
