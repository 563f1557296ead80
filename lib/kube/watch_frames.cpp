#include "kube/watch_frames.hpp"

#include <rapidjson/document.h>

#include "argo/decoders.hpp"
#include "json/json_fields.hpp"

namespace kfpevents::kube {
namespace {

using json::IntMember;
using json::ObjectMember;
using json::StringMember;

std::string ResourceVersionOf(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = ObjectMember(object, "metadata");
  return metadata != nullptr ? StringMember(*metadata, "resourceVersion") : std::string();
}

ApiStatus StatusFrom(const rapidjson::Value& object) {
  return {static_cast<int>(IntMember(object, "code", 0)), StringMember(object, "reason"),
          StringMember(object, "message")};
}

}  // namespace

std::optional<WatchType> WatchTypeNamed(const std::string& name) {
  if (name == "ADDED") return WatchType::kAdded;
  if (name == "MODIFIED") return WatchType::kModified;
  if (name == "DELETED") return WatchType::kDeleted;
  if (name == "BOOKMARK") return WatchType::kBookmark;
  if (name == "ERROR") return WatchType::kError;
  return std::nullopt;
}

Result<WatchFrame> DecodeWatchLine(std::string_view line) {
  rapidjson::Document document;
  document.Parse(line.data(), line.size());
  if (document.HasParseError()) return Status::InvalidArgument(json::DescribeParseError(document));
  const std::string type_name = StringMember(document, "type");
  const std::optional<WatchType> type = WatchTypeNamed(type_name);
  if (!type) {
    return Status::InvalidArgument(type_name.empty() ? "watch line has no type"
                                                     : "unknown watch type \"" + type_name + "\"");
  }
  const rapidjson::Value* object = ObjectMember(document, "object");
  if (object == nullptr) return Status::InvalidArgument("watch line has no object");

  WatchFrame frame;
  frame.type = *type;
  frame.resource_version = ResourceVersionOf(*object);
  if (const rapidjson::Value* metadata = ObjectMember(*object, "metadata")) {
    frame.uid = StringMember(*metadata, "uid");
  }
  if (*type == WatchType::kError) {
    frame.status = StatusFrom(*object);
  } else if (*type != WatchType::kBookmark) {
    frame.event = argo::DecodeEvent(*object);
  }
  return frame;
}

Result<EventListPage> DecodeEventList(std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError()) {
    return Status::InvalidArgument("event list: " + json::DescribeParseError(document));
  }
  const rapidjson::Value* metadata = ObjectMember(document, "metadata");
  if (metadata == nullptr) return Status::InvalidArgument("event list has no metadata");
  EventListPage page;
  page.resource_version = StringMember(*metadata, "resourceVersion");
  page.continue_token = StringMember(*metadata, "continue");
  const rapidjson::Value* items = json::Member(document, "items");
  if (items != nullptr && items->IsArray()) {
    for (const rapidjson::Value& item : items->GetArray()) {
      Result<WorkflowEvent> event = argo::DecodeEvent(item);
      if (event) {
        page.events.push_back(std::move(*event));
      } else {
        page.bad_items.push_back(event.error().message());
      }
    }
  }
  return page;
}

ApiStatus DecodeApiStatus(std::string_view body, long http_status) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (!document.HasParseError() && document.IsObject() &&
      StringMember(document, "kind") == "Status") {
    ApiStatus status = StatusFrom(document);
    if (status.code == 0) status.code = static_cast<int>(http_status);
    return status;
  }
  std::string excerpt(body.substr(0, 200));
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return {static_cast<int>(http_status), "", excerpt};
}

}  // namespace kfpevents::kube
