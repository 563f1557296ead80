// The built-in MessageFormatters.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

// The original tool's payload, byte for byte: compact JSON with exactly these keys in this
// order, strings escaped as Go's encoding/json does (so existing subscribers see no change):
// {"KfpRunId":"...","WorkflowName":"...","NodeName":"...","EventType":"...","Message":"..."}
KFPEVENTS_EXPORT std::unique_ptr<MessageFormatter> MakeKfpFormatter();

// The names accepted in configuration (`format:`), e.g. {"kfp"}.
KFPEVENTS_EXPORT std::vector<std::string> BuiltinFormatNames();

// A formatter by its configuration name; kInvalidArgument naming the known ones otherwise.
KFPEVENTS_EXPORT Result<std::unique_ptr<MessageFormatter>> MakeFormatter(std::string_view name);

}  // namespace kfpevents
