#include "kube/api_client.hpp"

#include <strings.h>

#include <cstdlib>

#include "core/strings.hpp"
#include "http/easy_settings.hpp"

namespace kfpevents::kube {

struct ApiClient::Exchange {
  std::stop_token stop;
  const DataCallback* on_data = nullptr;           // streaming: 200 bodies go here
  const std::function<void()>* on_open = nullptr;  // streaming: a 200's headers have ended
  const char* method = "GET";
  const std::string* request_body = nullptr;  // for PUT and POST: JSON
  long status = 0;
  http::CappedBody body;  // what is not streamed: answers, and error answers of streams
  bool ended_by_callback = false;
  // Streaming: no byte for `idle_limit` (0: no limit) ends the transfer as stalled.
  std::chrono::milliseconds idle_limit{0};
  std::chrono::steady_clock::time_point last_byte = std::chrono::steady_clock::now();
  bool stalled = false;
};

namespace {

// curl asks about once a second: abort on stop, and on a stream silent for its idle limit.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* exchange = static_cast<ApiClient::Exchange*>(user);
  if (exchange->stop.stop_requested()) return 1;
  if (exchange->idle_limit.count() > 0 &&
      std::chrono::steady_clock::now() - exchange->last_byte > exchange->idle_limit) {
    exchange->stalled = true;
    return 1;
  }
  return 0;
}

// A 200 stream goes to the caller as it arrives; anything else is kept, capped, for the message.
std::size_t OnData(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<ApiClient::Exchange*>(user);
  const std::size_t bytes = size * count;
  exchange->last_byte = std::chrono::steady_clock::now();
  if (exchange->on_data != nullptr && exchange->status == 200) {
    if (!(*exchange->on_data)(std::string_view(data, bytes))) {
      exchange->ended_by_callback = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR, which Perform treats as a clean end
    }
    return bytes;
  }
  return exchange->body.Append(data, bytes);
}

// Records the status of the final response before its body arrives.
std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<ApiClient::Exchange*>(user);
  const std::size_t bytes = size * count;
  exchange->last_byte = std::chrono::steady_clock::now();
  const std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    const std::size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      exchange->status = std::strtol(std::string(line.substr(space + 1, 3)).c_str(), nullptr, 10);
    }
  } else if (line == "\r\n" && exchange->status == 200 && exchange->on_open != nullptr &&
             *exchange->on_open) {
    (*exchange->on_open)();
  } else if (exchange->on_data == nullptr && line.size() > 15 &&
             strncasecmp(line.data(), "content-length:", 15) == 0) {
    exchange->body.Expect(std::strtoull(std::string(line.substr(15)).c_str(), nullptr, 10));
  }
  return bytes;
}

}  // namespace

std::string QueryEscape(std::string_view text) { return PercentEncode(text, &IsUriUnreserved); }

ApiClient::ApiClient(const ApiConnection& connection, std::shared_ptr<TokenSource> tokens)
    : server_(connection.server),
      tokens_(std::move(tokens)),
      curl_(http::MakeEasyHandle()) {
  settings_.ca_pem = connection.ca_pem;
  settings_.client_cert_pem = connection.client_cert_pem;
  settings_.client_key_pem = connection.client_key_pem;
  settings_.insecure_skip_verify = connection.insecure_skip_tls_verify;
}

Result<ApiResponse> ApiClient::Get(const std::string& path, std::stop_token stop,
                                   std::size_t max_body, std::chrono::milliseconds timeout) {
  Exchange exchange;
  exchange.stop = std::move(stop);
  exchange.body.max = max_body;
  return PerformWithTokenRetry(path, exchange, timeout);
}

Result<ApiResponse> ApiClient::Send(const char* method, const std::string& path,
                                    const std::string& body, std::stop_token stop,
                                    std::chrono::milliseconds timeout) {
  Exchange exchange;
  exchange.stop = std::move(stop);
  exchange.body.max = 1024 * 1024;
  exchange.method = method;
  exchange.request_body = &body;
  return PerformWithTokenRetry(path, exchange, timeout);
}

Result<ApiResponse> ApiClient::Stream(const std::string& path, const DataCallback& on_data,
                                      std::stop_token stop, std::chrono::milliseconds timeout,
                                      const std::function<void()>& on_open,
                                      std::chrono::milliseconds idle_timeout) {
  Exchange exchange;
  exchange.idle_limit = idle_timeout;
  exchange.on_open = &on_open;
  exchange.stop = std::move(stop);
  exchange.body.max = 64 * 1024;  // an error answer's Status; more is not worth keeping
  exchange.on_data = &on_data;
  return PerformWithTokenRetry(path, exchange, timeout);
}

Result<ApiResponse> ApiClient::PerformWithTokenRetry(const std::string& path, Exchange& exchange,
                                                     std::chrono::milliseconds timeout) {
  Result<ApiResponse> response = Perform(path, exchange, timeout);
  if (response && response->status == 401 && tokens_ && tokens_->Refresh()) {
    // Bound tokens rotate: the file may hold a newer one than we sent.
    exchange.status = 0;
    exchange.body = http::CappedBody{exchange.body.max, {}, false};
    response = Perform(path, exchange, timeout);
  }
  return response;
}

Result<ApiResponse> ApiClient::Perform(const std::string& path, Exchange& exchange,
                                       std::chrono::milliseconds timeout) {
  CURL* curl = curl_.get();
  if (curl == nullptr) return Status::Internal("cannot create a libcurl handle");
  const std::string url = server_ + path;
  http::HeaderList headers;
  if (!http::AppendHeader(headers, "Accept", "application/json") ||
      (exchange.request_body != nullptr &&
       !http::AppendHeader(headers, "Content-Type", "application/json"))) {
    return Status::Internal("out of memory building request headers");
  }
  const std::string token = tokens_ ? tokens_->Current() : std::string();
  if (!token.empty()) {
    // Argo Server tokens are often stored with their scheme already ("Bearer ...").
    const bool has_scheme = token.rfind("Bearer ", 0) == 0;
    if (!http::AppendHeader(headers, "Authorization", has_scheme ? token : "Bearer " + token)) {
      return Status::Internal("out of memory building request headers");
    }
  }
  char error_text[CURL_ERROR_SIZE] = {0};
  http::EasySettings settings = settings_;
  settings.timeout = timeout;
  http::ApplyEasySettings(curl, url, settings);
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (exchange.request_body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, exchange.request_body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(exchange.request_body->size()));
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, exchange.method);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &exchange);

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, nullptr);  // the handle is reused for GETs
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);

  if (exchange.stalled && !exchange.stop.stop_requested()) {
    return Status::Timeout("no byte for " + std::to_string(exchange.idle_limit.count() / 1000) +
                           " s, not even a bookmark, on a connection still open");
  }
  if (code == CURLE_ABORTED_BY_CALLBACK || exchange.stop.stop_requested()) {
    return Status::Cancelled("request cancelled");
  }
  if (code == CURLE_WRITE_ERROR && exchange.ended_by_callback) return ApiResponse{status, {}};
  if (code == CURLE_WRITE_ERROR && exchange.body.overflowed) {
    return Status::InvalidArgument("response larger than " + std::to_string(exchange.body.max) +
                                   " bytes");
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Status::Timeout(std::string("still open after its timeout: ") + error_text);
  }
  if (code != CURLE_OK) {
    return Status::Unavailable(std::string(curl_easy_strerror(code)) +
                               (error_text[0] != '\0' ? std::string(": ") + error_text : ""));
  }
  return ApiResponse{status, std::move(exchange.body.text)};
}

}  // namespace kfpevents::kube
