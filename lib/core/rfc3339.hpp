// RFC 3339 timestamps as Kubernetes writes them ("2026-11-23T07:00:00Z", with optional
// fraction and offset).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kfpevents {

// Unix seconds (the fraction dropped), or nullopt when `text` is not an RFC 3339 date-time.
std::optional<std::int64_t> ParseRfc3339Seconds(std::string_view text);

// `time` in UTC with `fraction_digits` (0 to 9) digits of the second, truncated:
// "2026-11-23T07:00:00.123Z" for 3 (log lines), six for Kubernetes' MicroTime.
std::string FormatRfc3339(std::chrono::system_clock::time_point time, int fraction_digits);

}  // namespace kfpevents
