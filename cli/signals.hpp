// SIGINT/SIGTERM -> a stop request.
#pragma once

#include <stop_token>
#include <thread>

namespace kfpevents::cli {

// Blocks SIGINT and SIGTERM in every thread (call before any thread starts) and waits for them
// on a thread of its own, turning the first into `stop.request_stop()`.
class SignalStopper {
 public:
  explicit SignalStopper(std::stop_source stop);
  ~SignalStopper();

 private:
  std::jthread waiter_;
};

}  // namespace kfpevents::cli
