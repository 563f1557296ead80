// The credentials to present: a bearer token (a static one, a file that the kubelet rewrites as
// bound service account tokens rotate, or a credential plugin's) and, from a plugin that gives
// one (kubeconfig `exec`), a client certificate. Thread-safe: the watch threads and the resolver
// share one.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kfpevents/kube.hpp"
#include "kube/exec_credential.hpp"

namespace kfpevents::kube {

// A client certificate and its key, PEM, as a plugin gave them.
struct ClientCertificate {
  std::string cert_pem;
  std::string key_pem;
};

// What to present now, taken together: a plugin's token and certificate come from one run.
struct Credentials {
  std::string token;                                     // "" for none
  std::shared_ptr<const ClientCertificate> certificate;  // null for none
};

class TokenSource {
 public:
  // A non-empty `token_file` wins over `token` and is re-read once `refresh_every` has passed.
  TokenSource(std::string token, std::string token_file,
              std::chrono::seconds refresh_every = std::chrono::seconds(60));
  // The connection's credentials: its exec plugin, else its token file, else its token.
  explicit TokenSource(const ApiConnection& connection);

  // The token to send now; "" for none. A plugin's token is fetched when none is held or the
  // one held expires within a minute.
  std::string Current() { return CurrentCredentials().token; }
  // The token and, from a plugin that gives one, the client certificate, fetched as Current().
  Credentials CurrentCredentials();
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
  std::shared_ptr<const ClientCertificate> certificate_;  // the plugin's, if it gave one
};

}  // namespace kfpevents::kube
