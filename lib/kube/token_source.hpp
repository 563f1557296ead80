// The bearer token to send: a static one, a file that the kubelet rewrites as bound service
// account tokens rotate, or a credential plugin's (kubeconfig `exec`). Thread-safe: the watch
// threads and the resolver share one.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "kfpevents/kube.hpp"
#include "kube/exec_credential.hpp"

namespace kfpevents::kube {

class TokenSource {
 public:
  // A non-empty `token_file` wins over `token` and is re-read once `refresh_every` has passed.
  TokenSource(std::string token, std::string token_file,
              std::chrono::seconds refresh_every = std::chrono::seconds(60));
  // The connection's credentials: its exec plugin, else its token file, else its token.
  explicit TokenSource(const ApiConnection& connection);

  // The token to send now; "" for none. A plugin's token is fetched when none is held or the
  // one held expires within a minute.
  std::string Current();
  // Reads the file again, or runs the plugin again, at once (after a 401). False when there is
  // nothing to read again.
  bool Refresh();

 private:
  void ReadLocked();
  void RunPluginLocked();

  std::mutex mutex_;
  std::string token_;
  const std::string token_file_;
  const std::chrono::seconds refresh_every_;
  std::chrono::steady_clock::time_point read_at_{};
  // A plugin: how to run it, and when what it gave expires.
  std::optional<ExecCredentialConfig> exec_;
  ApiConnection cluster_;  // the server and CA the plugin is told about
  std::optional<std::chrono::system_clock::time_point> expires_;
};

}  // namespace kfpevents::kube
