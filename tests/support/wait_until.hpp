// Polls `done` every `every` until it holds or `timeout` passes: the tests' wait for something
// another thread or process does, never a fixed sleep.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace kfpevents::testing {

// True once `done()` held; false when `timeout` passed first.
inline bool WaitUntil(const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30),
                      std::chrono::milliseconds every = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
  return true;
}

}  // namespace kfpevents::testing
