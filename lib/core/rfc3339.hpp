// RFC 3339 timestamps as Kubernetes writes them ("2026-11-23T07:00:00Z", with optional
// fraction and offset).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kfpevents {

// Unix seconds (the fraction dropped), or nullopt when `text` is not an RFC 3339 date-time.
std::optional<std::int64_t> ParseRfc3339Seconds(std::string_view text);

}  // namespace kfpevents
