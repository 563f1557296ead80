// Time as the parts that wait see it. The leader elector and the config reloader take a Clock,
// so that a test moves time on instead of sleeping through it.
#pragma once

#include <chrono>
#include <memory>
#include <stop_token>

#include "kfpevents/export.hpp"

namespace kfpevents {

class KFPEVENTS_EXPORT Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock();

  // Monotonic time: intervals and deadlines are measured on it (never wall time).
  virtual std::chrono::steady_clock::time_point Now() const = 0;
  // Waits `duration` unless `stop` is requested first; true when the full time passed.
  virtual bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop) = 0;
};

// std::chrono::steady_clock, and a sleep a stop request cuts short. Shared, thread-safe.
KFPEVENTS_EXPORT std::shared_ptr<Clock> SystemClock();

}  // namespace kfpevents
