// client-go credential plugins (a kubeconfig user's `exec`): run the command, read the
// ExecCredential it prints (a token, or a client certificate and its key), keep it until it
// expires.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kfpevents/kube.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents::kube {

struct ExecToken {
  std::string token;
  // A client certificate and its key (PEM), as plugins such as Teleport's `tsh` give: both or
  // neither.
  std::string client_cert_pem;
  std::string client_key_pem;
  // When it stops being valid; nullopt: until the server refuses it (a 401).
  std::optional<std::chrono::system_clock::time_point> expires;
};

// The KUBERNETES_EXEC_INFO the plugin is given: an ExecCredential with spec.interactive false
// and, with provideClusterInfo, spec.cluster (server, certificate-authority-data,
// insecure-skip-tls-verify).
std::string ExecInfo(const ExecCredentialConfig& exec, const ApiConnection& connection);

// Reads what a plugin printed: it must be an ExecCredential of the configured apiVersion with a
// status.token, or a status.clientCertificateData with its clientKeyData, or both.
// kInvalidArgument says what is wrong, never the credential.
Result<ExecToken> ParseExecCredential(const std::string& output, const std::string& api_version);

// Runs the plugin (its args, its env added to ours, KUBERNETES_EXEC_INFO, stdin from /dev/null,
// at most `timeout`) and reads its output. Errors name the command and its exit status, and the
// install hint when it cannot be run; they never carry what it printed.
Result<ExecToken> RunExecPlugin(const ExecCredentialConfig& exec, const ApiConnection& connection,
                                std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace kfpevents::kube
