#include "kube/api_client.hpp"

#include "core/strings.hpp"

namespace kfpevents::kube {

std::string QueryEscape(std::string_view text) { return PercentEncode(text, &IsUriUnreserved); }

namespace {

http::EasySettings SettingsOf(const ApiConnection& connection) {
  http::EasySettings settings;
  settings.ca_pem = connection.ca_pem;
  settings.client_cert_pem = connection.client_cert_pem;
  settings.client_key_pem = connection.client_key_pem;
  settings.insecure_skip_verify = connection.insecure_skip_tls_verify;
  return settings;
}

}  // namespace

ApiClient::ApiClient(const ApiConnection& connection, std::shared_ptr<TokenSource> tokens)
    : server_(connection.server), tokens_(std::move(tokens)), client_(SettingsOf(connection)) {}

Result<ApiResponse> ApiClient::Get(const std::string& path, std::stop_token stop,
                                   std::size_t max_body, std::chrono::milliseconds timeout) {
  http::Request request;
  request.url = server_ + path;
  request.max_answer = max_body;
  request.timeout = timeout;
  return PerformWithTokenRetry(request, std::move(stop));
}

Result<ApiResponse> ApiClient::Send(const char* method, const std::string& path,
                                    const std::string& body, std::stop_token stop,
                                    std::chrono::milliseconds timeout) {
  http::Request request;
  request.method = method;
  request.url = server_ + path;
  request.body = &body;
  request.headers.emplace_back("Content-Type", "application/json");
  request.timeout = timeout;
  return PerformWithTokenRetry(request, std::move(stop));
}

Result<ApiResponse> ApiClient::Stream(const std::string& path, const DataCallback& on_data,
                                      std::stop_token stop, std::chrono::milliseconds timeout,
                                      const std::function<void()>& on_open,
                                      std::chrono::milliseconds idle_timeout) {
  http::Request request;
  request.url = server_ + path;
  request.max_answer = 64 * 1024;  // an error answer's Status; more is not worth keeping
  request.timeout = timeout;
  request.on_data = &on_data;
  request.on_open = &on_open;
  request.idle_timeout = idle_timeout;
  http::FailureDetail failure;
  Result<ApiResponse> response = PerformWithTokenRetry(request, std::move(stop), &failure);
  if (!response && failure.stalled) {
    // A watch's server sends bookmarks when it has nothing else: silence means a dead link.
    return Status::Timeout("no byte for " + std::to_string(idle_timeout.count() / 1000) +
                           " s, not even a bookmark, on a connection still open");
  }
  return response;
}

Result<ApiResponse> ApiClient::PerformWithTokenRetry(http::Request& request, std::stop_token stop,
                                                     http::FailureDetail* failure) {
  request.headers.emplace_back("Accept", "application/json");
  const std::size_t token_header = request.headers.size();
  Credentials credentials;  // held while the request uses its certificate
  const auto with_token = [&] {
    request.headers.resize(token_header);
    credentials = tokens_ ? tokens_->CurrentCredentials() : Credentials{};
    const std::shared_ptr<const ClientCertificate>& certificate = credentials.certificate;
    request.client_cert_pem = certificate ? &certificate->cert_pem : nullptr;
    request.client_key_pem = certificate ? &certificate->key_pem : nullptr;
    const std::string& token = credentials.token;
    if (token.empty()) return;
    // Argo Server tokens are often stored with their scheme already ("Bearer ...").
    const bool has_scheme = token.rfind("Bearer ", 0) == 0;
    request.headers.emplace_back("Authorization", has_scheme ? token : "Bearer " + token);
  };
  with_token();
  Result<http::Response> response = client_.Perform(request, stop, failure);
  if (response && response->status == 401 && tokens_ && tokens_->Refresh()) {
    // Bound tokens rotate: the file may hold a newer one than we sent.
    with_token();
    response = client_.Perform(request, stop, failure);
  }
  if (!response) return response.error();
  return ApiResponse{response->status, std::move(response->body)};
}

}  // namespace kfpevents::kube
