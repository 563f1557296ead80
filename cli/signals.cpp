#include "signals.hpp"

#include <signal.h>

#include <ctime>

namespace kfpevents::cli {

namespace {
sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

SignalStopper::SignalStopper(std::stop_source stop) {
  const sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::jthread([set, stop](std::stop_token done) mutable {
    const timespec poll{0, 200'000'000};
    while (!done.stop_requested()) {
      if (sigtimedwait(&set, nullptr, &poll) > 0) {
        stop.request_stop();
        return;
      }
    }
  });
}

SignalStopper::~SignalStopper() { waiter_.request_stop(); }

}  // namespace kfpevents::cli
