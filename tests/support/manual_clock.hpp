// A Clock that moves only when the test says: sleepers wake when Advance takes time past their
// deadline, so waits and deadlines are tested without sleeping through them.
#pragma once

#include <condition_variable>
#include <mutex>

#include "kfpevents/clock.hpp"

namespace kfpevents::testing {

class ManualClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop) override {
    std::unique_lock lock(mutex_);
    const auto until = now_ + duration;
    ++sleeps_;
    changed_.notify_all();
    return changed_.wait(lock, stop, [&] { return now_ >= until; });
  }

  // Moves time on by `step`, waking whoever sleeps until then.
  void Advance(std::chrono::milliseconds step) {
    std::lock_guard lock(mutex_);
    now_ += step;
    changed_.notify_all();
  }

  // Waits (in real time, up to `timeout`) until `count` sleeps have begun on this clock in all:
  // the code under test has done what comes before its next wait, and an Advance now wakes it.
  bool WaitForSleeps(int count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return sleeps_ >= count; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
  int sleeps_ = 0;
};

}  // namespace kfpevents::testing
