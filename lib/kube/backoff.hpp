// Exponential backoff with full jitter that starts over after a healthy stretch (client-go's
// reflector behaviour: 0.8 s doubling to 30 s, reset after 2 minutes without failures).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "kfpevents/kube.hpp"

namespace kfpevents::kube {

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, std::uint64_t seed = std::random_device{}());

  // The wait after a failure at `now`: uniform in [0, step], where step doubles with each
  // failure up to the policy's max and returns to its initial value after `reset_after`
  // without failures.
  std::chrono::milliseconds NextDelay(std::chrono::steady_clock::time_point now);
  // The step the next delay is drawn under (for tests and logs).
  std::chrono::milliseconds step() const { return step_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 random_;
  std::chrono::milliseconds step_{0};
  std::chrono::steady_clock::time_point last_failure_{};
  bool failed_before_ = false;
};

}  // namespace kfpevents::kube
