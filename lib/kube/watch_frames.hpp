// The JSON the API server sends for Events: watch lines, list pages and Status errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::kube {

// A meta/v1 Status, as error answers and watch ERROR events carry it.
struct ApiStatus {
  int code = 0;        // the HTTP status it stands for; 410 means the resourceVersion is gone
  std::string reason;  // "Expired", "Gone", "Forbidden", ...
  std::string message;
};

enum class WatchType { kAdded, kModified, kDeleted, kBookmark, kError };

// "ADDED" -> kAdded, ...; nullopt for anything else.
std::optional<WatchType> WatchTypeNamed(const std::string& name);

// One line of a watch stream.
struct WatchFrame {
  WatchType type = WatchType::kAdded;
  std::string resource_version;                                // the object's; "" when it has none
  std::string uid;                                             // the object's metadata.uid
  Result<WorkflowEvent> event = Status::NotFound("no event");  // ADDED / MODIFIED / DELETED
  ApiStatus status;                                            // ERROR
};

// Errors (kInvalidArgument) when the line is not {"type": known, "object": {...}}. An object that
// is not a valid Event still decodes as a frame; its `event` holds the reason.
Result<WatchFrame> DecodeWatchLine(std::string_view line);

// What every list page says about the list itself.
struct ListPageMeta {
  std::string resource_version;  // where a watch continues from
  std::string continue_token;    // "" on the last page
};

struct EventListPage : ListPageMeta {
  std::vector<WorkflowEvent> events;
  std::vector<std::string> bad_items;  // why each undecodable item was skipped
};

Result<EventListPage> DecodeEventList(std::string_view body);

// The Status in an error answer's body; when the body is not one, `code` is `http_status` and
// `message` a short excerpt of the body.
ApiStatus DecodeApiStatus(std::string_view body, long http_status);

}  // namespace kfpevents::kube
