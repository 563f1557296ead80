#include <algorithm>

#include "argo/decoders.hpp"
#include "json/json_fields.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::argo {

using json::IntMember;
using json::ObjectMember;
using json::StringMember;

Result<WorkflowEvent> DecodeEvent(const rapidjson::Value& object) {
  if (!object.IsObject()) return Status::InvalidArgument("an Event must be a JSON object");
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value* metadata = ObjectMember(object, "metadata");
  const rapidjson::Value& meta = metadata != nullptr ? *metadata : kEmpty;
  const rapidjson::Value* involved = ObjectMember(object, "involvedObject");

  WorkflowEvent event;
  event.reason = StringMember(object, "reason");
  if (event.reason.empty()) return Status::InvalidArgument("Event has no reason");
  if (involved == nullptr) return Status::InvalidArgument("Event has no involvedObject");
  event.involved_object.kind = StringMember(*involved, "kind");
  event.involved_object.namespace_name = StringMember(*involved, "namespace");
  event.involved_object.name = StringMember(*involved, "name");
  event.involved_object.uid = StringMember(*involved, "uid");
  event.involved_object.resource_version = StringMember(*involved, "resourceVersion");
  if (event.involved_object.name.empty()) {
    return Status::InvalidArgument("Event has no involvedObject.name");
  }

  event.uid = StringMember(meta, "uid");
  event.namespace_name = StringMember(meta, "namespace");
  event.name = StringMember(meta, "name");
  event.resource_version = StringMember(meta, "resourceVersion");
  event.annotations = json::StringMapMember(meta, "annotations");
  event.message = StringMember(object, "message");
  // An Event that Kubernetes combined from similar ones (client-go's aggregation, from the tenth
  // different message of one reason) carries the newest one's message behind a prefix and no
  // annotations. Without the prefix it reads as that node's own Event: the node is named by the
  // message, and found in the Workflow, so it is keyed as its own Event would have been.
  if (event.message.starts_with(kCombinedEventPrefix)) {
    event.message.erase(0, std::string_view(kCombinedEventPrefix).size());
  }
  event.type = StringMember(object, "type");
  if (const rapidjson::Value* source = ObjectMember(object, "source")) {
    event.source_component = StringMember(*source, "component");
  }
  if (event.source_component.empty()) {
    event.source_component = StringMember(object, "reportingComponent");
  }
  event.count = IntMember(object, "count", 1);
  if (const rapidjson::Value* series = ObjectMember(object, "series")) {
    event.count = std::max(event.count, IntMember(*series, "count", 1));
  }
  event.first_timestamp = StringMember(object, "firstTimestamp");
  event.last_timestamp = StringMember(object, "lastTimestamp");
  if (event.first_timestamp.empty()) event.first_timestamp = StringMember(object, "eventTime");
  if (event.last_timestamp.empty()) event.last_timestamp = event.first_timestamp;
  return event;
}

}  // namespace kfpevents::argo
