// The `kfp-extended` object: the original five keys first (so a `kfp` parser reads it too),
// then what richer subscribers want. Also the `data` of the CloudEvents formats.
#pragma once

#include <string>

#include "kfpevents/types.hpp"

namespace kfpevents::format {

// Appends the JSON object for `notification` (strings escaped as Go's encoding/json does).
void AppendExtendedPayload(std::string& out, const Notification& notification,
                           const std::string& message_id);

}  // namespace kfpevents::format
