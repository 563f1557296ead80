// `kfp-extended` and the CloudEvents 1.0 formats (structured and binary HTTP modes), all built
// on the extended payload.
#include "core/strings.hpp"
#include "format/extended_payload.hpp"
#include "json/go_json.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents {
namespace {

class KfpExtendedFormatter final : public MessageFormatter {
 public:
  Result<Message> Format(const Notification& notification) const override {
    Message message;
    message.id = MessageIdForKey(notification.key);
    message.content_type = "application/json";
    format::AppendExtendedPayload(message.body, notification, message.id);
    return message;
  }
};

// The CloudEvents context attributes of a notification.
struct CloudEventAttributes {
  std::string id;
  std::string source;   // the Workflow's API path: a URI-reference naming what changed
  std::string type;     // io.kubeflow.pipelines.<reason>
  std::string subject;  // the node's full name, or the workflow's name
  std::string time;     // the Event's lastTimestamp (RFC 3339); "" to omit
};

CloudEventAttributes AttributesOf(const Notification& notification) {
  const WorkflowRef ref = WorkflowOf(notification.event);
  const std::string name = notification.workflow ? notification.workflow->name : ref.name;
  return {MessageIdForKey(notification.key),
          "/apis/argoproj.io/v1alpha1/namespaces/" + ref.namespace_name + "/workflows/" + name,
          std::string(kCloudEventTypePrefix) + notification.event.reason,
          ref.node_name.empty() ? name : ref.node_name, notification.event.last_timestamp};
}

class CloudEventsStructuredFormatter final : public MessageFormatter {
 public:
  Result<Message> Format(const Notification& notification) const override {
    const CloudEventAttributes attributes = AttributesOf(notification);
    Message message;
    message.id = attributes.id;
    message.content_type = "application/cloudevents+json";
    std::string& body = message.body;
    body += "{\"specversion\":\"1.0\"";
    json::AppendGoMember(body, "id", attributes.id);
    json::AppendGoMember(body, "source", attributes.source);
    json::AppendGoMember(body, "type", attributes.type);
    json::AppendGoMember(body, "subject", attributes.subject);
    if (!attributes.time.empty()) json::AppendGoMember(body, "time", attributes.time);
    body += ",\"datacontenttype\":\"application/json\",\"data\":";
    format::AppendExtendedPayload(body, notification, attributes.id);
    body += '}';
    return message;
  }
};

// HTTP binding: header values percent-encode space, '"', '%' and everything outside printable
// ASCII.
std::string HeaderValue(const std::string& text) {
  return PercentEncode(text, [](unsigned char byte) {
    return byte > 0x20 && byte < 0x7F && byte != '"' && byte != '%';
  });
}

class CloudEventsBinaryFormatter final : public MessageFormatter {
 public:
  Result<Message> Format(const Notification& notification) const override {
    const CloudEventAttributes attributes = AttributesOf(notification);
    Message message;
    message.id = attributes.id;
    message.content_type = "application/json";
    format::AppendExtendedPayload(message.body, notification, attributes.id);
    message.headers = {{"ce-specversion", "1.0"},
                       {"ce-id", HeaderValue(attributes.id)},
                       {"ce-source", HeaderValue(attributes.source)},
                       {"ce-type", HeaderValue(attributes.type)},
                       {"ce-subject", HeaderValue(attributes.subject)}};
    if (!attributes.time.empty()) message.headers.emplace_back("ce-time", attributes.time);
    return message;
  }
};

}  // namespace

std::unique_ptr<MessageFormatter> MakeKfpExtendedFormatter() {
  return std::make_unique<KfpExtendedFormatter>();
}

std::unique_ptr<MessageFormatter> MakeCloudEventsFormatter(CloudEventsMode mode) {
  if (mode == CloudEventsMode::kBinary) return std::make_unique<CloudEventsBinaryFormatter>();
  return std::make_unique<CloudEventsStructuredFormatter>();
}

}  // namespace kfpevents
