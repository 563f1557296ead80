// When a failed delivery is tried again.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "kfpevents/pipeline.hpp"

namespace kfpevents::deliver {

// The wait before retry number `retry` (0-based; the caller checks it is within the schedule).
// A destination's Retry-After replaces the schedule's step, capped at policy.max_retry_after;
// otherwise the step is jittered down to [step * (1 - jitter), step] by `unit` in [0, 1).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, std::size_t retry,
                                     std::optional<std::chrono::seconds> retry_after, double unit);

}  // namespace kfpevents::deliver
