// Starts a bound cpp-httplib server on a thread of its own, and returns once it runs: httplib's
// stop() does nothing before the listening loop has started, so a server destroyed at once
// would otherwise leave its thread listening, and the destructor's join waiting forever.
#pragma once

#include <httplib.h>

#include <chrono>
#include <thread>

namespace kfpevents::testing {

inline std::thread ServeInBackground(httplib::Server& server) {
  std::thread thread([&server] { server.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return thread;
}

}  // namespace kfpevents::testing
