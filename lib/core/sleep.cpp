#include "core/sleep.hpp"

#include <condition_variable>
#include <mutex>

namespace kfpevents {

bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  return !wake.wait_for(lock, stop, duration, [] { return false; }) && !stop.stop_requested();
}

}  // namespace kfpevents
