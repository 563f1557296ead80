#include "kfpevents/clock.hpp"

#include "core/sleep.hpp"

namespace kfpevents {
namespace {

class SteadyClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() const override {
    return std::chrono::steady_clock::now();
  }
  bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop) override {
    return kfpevents::SleepFor(duration, stop);
  }
};

}  // namespace

Clock::~Clock() = default;

std::shared_ptr<Clock> SystemClock() {
  static const std::shared_ptr<Clock> kClock = std::make_shared<SteadyClock>();
  return kClock;
}

}  // namespace kfpevents
