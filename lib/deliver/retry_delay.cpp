#include "deliver/retry_delay.hpp"

#include <algorithm>

namespace kfpevents::deliver {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, std::size_t retry,
                                     std::optional<std::chrono::seconds> retry_after, double unit) {
  if (retry_after) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::clamp(*retry_after, std::chrono::seconds(0), policy.max_retry_after));
  }
  const auto step = static_cast<double>(policy.backoff.at(retry).count());
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(step * (1.0 - jitter * unit)));
}

}  // namespace kfpevents::deliver
