#include "kube/token_source.hpp"

#include "core/files.hpp"
#include "core/strings.hpp"

namespace kfpevents::kube {
namespace {

// A plugin's token is replaced this long before it expires, so no request carries a stale one.
constexpr std::chrono::minutes kExpiryMargin{1};
// A plugin that failed is not run again sooner than this (a 401 storm must not fork a storm).
constexpr std::chrono::seconds kPluginRetry{5};

}  // namespace

TokenSource::TokenSource(std::string token, std::string token_file,
                         std::chrono::seconds refresh_every)
    : token_(std::move(token)), token_file_(std::move(token_file)), refresh_every_(refresh_every) {
  if (!token_file_.empty()) ReadLocked();
}

TokenSource::TokenSource(const ApiConnection& connection)
    : TokenSource(connection.exec ? std::string() : connection.token,
                  connection.exec ? std::string() : connection.token_file) {
  if (connection.exec) {
    exec_ = connection.exec;
    cluster_.server = connection.server;
    cluster_.ca_pem = connection.ca_pem;
    cluster_.insecure_skip_tls_verify = connection.insecure_skip_tls_verify;
  }
}

Credentials TokenSource::CurrentCredentials() {
  std::lock_guard lock(mutex_);
  if (exec_) {
    const bool expiring =
        expires_ && *expires_ - kExpiryMargin <= std::chrono::system_clock::now();
    if (((token_.empty() && !certificate_) || expiring) &&
        std::chrono::steady_clock::now() - read_at_ >= kPluginRetry) {
      RunPluginLocked();
    }
  } else if (!token_file_.empty() &&
             std::chrono::steady_clock::now() - read_at_ >= refresh_every_) {
    ReadLocked();
  }
  return Credentials{token_, certificate_};
}

bool TokenSource::Refresh() {
  std::lock_guard lock(mutex_);
  if (exec_) {
    if (std::chrono::steady_clock::now() - read_at_ < kPluginRetry) return false;
    RunPluginLocked();
    return !token_.empty() || certificate_ != nullptr;
  }
  if (token_file_.empty()) return false;
  ReadLocked();
  return true;
}

void TokenSource::ReadLocked() {
  read_at_ = std::chrono::steady_clock::now();
  // A failed read (the kubelet swapping the file) keeps the previous token until the next try.
  if (Result<std::string> text = ReadFile(token_file_, "token file")) {
    token_ = std::string(Trim(*text));
  }
}

void TokenSource::RunPluginLocked() {
  read_at_ = std::chrono::steady_clock::now();
  // A failed run keeps an unexpired token; requests then meet the server's verdict (401).
  if (Result<ExecToken> fetched = RunExecPlugin(*exec_, cluster_)) {
    token_ = std::move(fetched->token);
    expires_ = fetched->expires;
    certificate_ =
        fetched->client_cert_pem.empty()
            ? nullptr
            : std::make_shared<const ClientCertificate>(ClientCertificate{
                  std::move(fetched->client_cert_pem), std::move(fetched->client_key_pem)});
  }
}

}  // namespace kfpevents::kube
