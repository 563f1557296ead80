#include "kube/backoff.hpp"

#include <algorithm>

namespace kfpevents::kube {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : policy_(policy), random_(seed) {}

std::chrono::milliseconds Backoff::NextDelay(std::chrono::steady_clock::time_point now) {
  if (!failed_before_ || now - last_failure_ >= policy_.reset_after) {
    step_ = policy_.initial;
  } else {
    step_ = std::min(step_ * 2, policy_.max);
  }
  failed_before_ = true;
  last_failure_ = now;
  std::uniform_int_distribution<std::int64_t> pick(0, step_.count());
  return std::chrono::milliseconds(pick(random_));
}

}  // namespace kfpevents::kube
