#include "replay/recorded_line.hpp"

#include <rapidjson/document.h>

#include "argo/decoders.hpp"
#include "json/json_fields.hpp"
#include "json/on_demand.hpp"

namespace kfpevents::replay {
namespace {

// What a line is, read on demand without decoding the rest: a Workflow line can be megabytes.
struct LineShape {
  bool wrapped = false;  // a watch event: {"type": ..., "object": {...}}
  bool object_is_object = false;
  std::string type;  // the watch event's type (a bare Event has a "type" too: Normal, Warning)
  std::string kind;  // the object's kind
};

Result<LineShape> ShapeOf(const std::string& line) {
  LineShape shape;
  std::string root_kind;
  const Status read = json::ReadObjectOnDemand(
      line, line.capacity(), "", "not a JSON object", [&](json::od::value root) {
        return json::ForEachMember(root, [&](std::string_view key, json::od::value child) {
          if (key == "type") return json::ReadString(child, shape.type);
          if (key == "kind") return json::ReadString(child, root_kind);
          if (key != "object") return simdjson::SUCCESS;
          shape.wrapped = true;
          SIMDJSON_TRY(json::TypeIs(child, json::od::json_type::object, shape.object_is_object));
          return json::ForEachMember(child, [&](std::string_view inner, json::od::value field) {
            return inner == "kind" ? json::ReadString(field, shape.kind) : simdjson::SUCCESS;
          });
        });
      });
  if (!read.ok()) return read;
  if (!shape.wrapped) shape.kind = root_kind;
  return shape;
}

Result<RecordedItem> DecodeEventLine(const std::string& line, bool wrapped) {
  rapidjson::Document document;
  document.Parse(line.data(), line.size());
  if (document.HasParseError()) return Status::InvalidArgument(json::DescribeParseError(document));
  const rapidjson::Value* object = wrapped ? json::Member(document, "object") : &document;
  auto event = argo::DecodeEvent(*object);
  if (!event) return event.error();
  return RecordedItem(std::move(*event));
}

}  // namespace

Result<RecordedItem> DecodeRecordedLine(const std::string& line) {
  Result<LineShape> shape = ShapeOf(line);
  if (!shape) return shape.error();
  if (shape->wrapped) {
    const std::string& type = shape->type;
    if (type == "DELETED" || type == "BOOKMARK" || type == "ERROR") {
      return RecordedItem(Skipped{"watch event of type " + type});
    }
    if (type != "ADDED" && type != "MODIFIED") {
      return Status::InvalidArgument(
          "watch event type must be ADDED, MODIFIED, DELETED, "
          "BOOKMARK or ERROR, not \"" +
          type + "\"");
    }
    if (!shape->object_is_object) {
      return Status::InvalidArgument("watch event \"object\" is not an object");
    }
  }

  if (shape->kind == "Workflow") {
    if (!shape->wrapped) {
      auto workflow = argo::SummarizeWorkflow(line);
      if (!workflow) return workflow.error();
      return RecordedItem(std::move(*workflow));
    }
    auto watched = argo::SummarizeWorkflowWatchLine(line);
    if (!watched) return watched.error();
    if (!watched->workflow) return watched->workflow.error();
    return RecordedItem(std::move(*watched->workflow));
  }
  if (shape->kind == "Event" || shape->kind.empty()) return DecodeEventLine(line, shape->wrapped);
  return Status::InvalidArgument("unsupported kind \"" + shape->kind +
                                 "\" (expected Event or Workflow)");
}

}  // namespace kfpevents::replay
