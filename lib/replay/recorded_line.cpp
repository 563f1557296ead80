#include "replay/recorded_line.hpp"

#include <rapidjson/document.h>

#include "argo/decoders.hpp"
#include "json/json_fields.hpp"

namespace kfpevents::replay {

Result<RecordedItem> DecodeRecordedLine(const std::string& line) {
  rapidjson::Document document;
  document.Parse(line.data(), line.size());
  if (document.HasParseError()) return Status::InvalidArgument(json::DescribeParseError(document));
  if (!document.IsObject()) return Status::InvalidArgument("not a JSON object");

  const rapidjson::Value* object = &document;
  // A watch event wraps the object; a bare Event has a string "type" too, but no "object".
  if (const rapidjson::Value* wrapped = json::Member(document, "object")) {
    const std::string type = json::StringMember(document, "type");
    if (type == "DELETED" || type == "BOOKMARK" || type == "ERROR") {
      return RecordedItem(Skipped{"watch event of type " + type});
    }
    if (type != "ADDED" && type != "MODIFIED") {
      return Status::InvalidArgument(
          "watch event type must be ADDED, MODIFIED, DELETED, "
          "BOOKMARK or ERROR, not \"" +
          type + "\"");
    }
    if (!wrapped->IsObject())
      return Status::InvalidArgument("watch event \"object\" is not an object");
    object = wrapped;
  }

  const std::string kind = json::StringMember(*object, "kind");
  if (kind == "Workflow") {
    auto workflow = argo::DecodeWorkflow(*object);
    if (!workflow) return workflow.error();
    return RecordedItem(std::move(*workflow));
  }
  if (kind == "Event" || kind.empty()) {
    auto event = argo::DecodeEvent(*object);
    if (!event) return event.error();
    return RecordedItem(std::move(*event));
  }
  return Status::InvalidArgument("unsupported kind \"" + kind + "\" (expected Event or Workflow)");
}

}  // namespace kfpevents::replay
