// One line of a recorded events file, classified.
#pragma once

#include <string>
#include <variant>

#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::replay {

// A line a live watch would not have delivered (DELETED, BOOKMARK, ERROR), with why.
struct Skipped {
  std::string why;
};

using RecordedItem = std::variant<WorkflowEvent, WorkflowInfo, Skipped>;

// Decodes a watch event ({"type":..., "object":{...}}) or a bare object of kind Event (or no
// kind) or Workflow. Errors (kInvalidArgument) say what is wrong with the line.
Result<RecordedItem> DecodeRecordedLine(const std::string& line);

}  // namespace kfpevents::replay
