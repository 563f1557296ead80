#include <cstdint>
#include <limits>

#include "kfpevents/config.hpp"

namespace kfpevents {

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) return std::nullopt;
  std::int64_t total_ms = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (number > std::numeric_limits<std::int64_t>::max() / 1000 / 86400 / 10) {
        return std::nullopt;  // far beyond any sensible duration
      }
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits_start) return std::nullopt;
    std::int64_t unit_ms = 0;
    if (text.substr(i, 2) == "ms") {
      unit_ms = 1;
      i += 2;
    } else if (i < text.size()) {
      switch (text[i]) {
        case 'd':
          unit_ms = 86'400'000;
          break;
        case 'h':
          unit_ms = 3'600'000;
          break;
        case 'm':
          unit_ms = 60'000;
          break;
        case 's':
          unit_ms = 1'000;
          break;
        default:
          return std::nullopt;
      }
      ++i;
    } else {
      return std::nullopt;  // a number without a unit
    }
    total_ms += number * unit_ms;
  }
  return std::chrono::milliseconds(total_ms);
}

}  // namespace kfpevents
