// A sleep that a stop request cuts short.
#pragma once

#include <chrono>
#include <stop_token>

namespace kfpevents {

// Waits `duration` unless `stop` is requested first; true when the full time passed.
bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop);

}  // namespace kfpevents
