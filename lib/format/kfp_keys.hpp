// The five keys of the original tool's payload, shared by `kfp` (which is exactly them) and
// `kfp-extended` (which starts with them, so a `kfp` parser reads it too).
#pragma once

#include <string>

#include "kfpevents/types.hpp"

namespace kfpevents::format {

// Appends `{"KfpRunId":...,"WorkflowName":...,"NodeName":...,"EventType":...,"Message":...`,
// escaped as Go's encoding/json does; the caller adds further members and the closing brace.
void AppendKfpKeys(std::string& out, const Notification& notification);

}  // namespace kfpevents::format
