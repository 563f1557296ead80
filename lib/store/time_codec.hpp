// Stored times are Unix milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

#include "kfpevents/state.hpp"

namespace kfpevents::store {

inline std::int64_t ToMillis(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

inline TimePoint FromMillis(std::int64_t millis) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(millis)));
}

}  // namespace kfpevents::store
