// The bearer token to send: a static one, or a file that the kubelet rewrites as bound service
// account tokens rotate. Thread-safe: the watch threads and the resolver share one.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace kfpevents::kube {

class TokenSource {
 public:
  // A non-empty `token_file` wins over `token` and is re-read once `refresh_every` has passed.
  TokenSource(std::string token, std::string token_file,
              std::chrono::seconds refresh_every = std::chrono::seconds(60));

  // The token to send now; "" for none.
  std::string Current();
  // Re-reads the file at once (after a 401). False when there is no file to re-read.
  bool Refresh();

 private:
  void ReadLocked();

  std::mutex mutex_;
  std::string token_;
  const std::string token_file_;
  const std::chrono::seconds refresh_every_;
  std::chrono::steady_clock::time_point read_at_{};
};

}  // namespace kfpevents::kube
