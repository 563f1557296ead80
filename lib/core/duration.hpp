// Go-style durations as operators write them on the command line: "90s", "15m", "1h30m", "2d".
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace kfpevents {

// The duration, or nullopt when `text` is not one or more <digits><unit> groups with units
// d, h, m, s or ms. "0" alone is zero.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace kfpevents
