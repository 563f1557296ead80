// The default webhook: one keep-alive libcurl handle per subscriber, reused for every POST.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "http/curl_handle.hpp"
#include "http/header_name.hpp"
#include "http/outcome.hpp"
#include "http/retry_after.hpp"
#include "http/signing.hpp"
#include "http/url.hpp"
#include "kfpevents/subscribers.hpp"

namespace kfpevents {
namespace {

// Per-request state the curl callbacks write into.
struct Exchange {
  http::CappedBody body;
  std::string retry_after;
};

// Keeps the response body up to the cap. Refusing the rest aborts the transfer with
// CURLE_WRITE_ERROR, and the status line already received still decides the outcome.
std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  return static_cast<Exchange*>(user)->body.Append(data, size * count);
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  static constexpr std::string_view kName = "Retry-After:";
  if (line.size() > kName.size() && http::SameHeaderName(line.substr(0, kName.size()), kName)) {
    line.remove_prefix(kName.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    exchange->retry_after = std::string(line);
  }
  return bytes;
}

class HttpSubscriber final : public Subscriber {
 public:
  HttpSubscriber(HttpSubscriberOptions options, std::string signing_key, http::EasyHandle handle)
      : options_(std::move(options)),
        signing_key_(std::move(signing_key)),
        // A configured Content-Type replaces the formatter's instead of being sent beside it.
        configured_content_type_(std::any_of(
            options_.headers.begin(), options_.headers.end(),
            [](const auto& header) { return http::SameHeaderName(header.first, "Content-Type"); })),
        handle_(std::move(handle)) {}

  DeliveryResult Deliver(const Message& message, std::stop_token stop) override {
    Exchange exchange;
    exchange.body.max = options_.max_response_bytes;

    http::HeaderList headers;
    bool headers_ok = true;
    if (!configured_content_type_) {
      headers_ok &= http::AppendHeader(
          headers, "Content-Type",
          message.content_type.empty() ? "application/json" : message.content_type);
    }
    if (!message.id.empty()) headers_ok &= http::AppendHeader(headers, "webhook-id", message.id);
    const std::int64_t timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
    headers_ok &= http::AppendHeader(headers, "webhook-timestamp", std::to_string(timestamp));
    if (!signing_key_.empty()) {
      headers_ok &=
          http::AppendHeader(headers, "webhook-signature",
                             http::SignWebhook(signing_key_, message.id, timestamp, message.body));
    }
    for (const auto& [name, value] : message.headers) {
      headers_ok &= http::AppendHeader(headers, name, value);
    }
    for (const auto& [name, value] : options_.headers) {
      headers_ok &= http::AppendHeader(headers, name, value);
    }
    headers_ok &= http::AppendHeader(headers, "Expect", "");  // no 100-continue round trip
    if (!headers_ok) return {DeliveryOutcome::kRetryable, "out of memory", 0, std::nullopt};

    CURL* curl = handle_.get();
    char error_text[CURL_ERROR_SIZE] = {};
    curl_easy_reset(curl);  // keeps the connection cache, forgets the previous request
    curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(message.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &http::AbortWhenStopped);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
    if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (options_.insecure_skip_verify) {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);

    if (code == CURLE_ABORTED_BY_CALLBACK) {
      return {DeliveryOutcome::kRetryable, "cancelled: shutting down", 0, std::nullopt};
    }
    const bool got_status = status >= 100;
    if (code != CURLE_OK &&
        !(code == CURLE_WRITE_ERROR && exchange.body.overflowed && got_status)) {
      return http::ClassifyTransportError(code, error_text);
    }
    return http::ClassifyHttpStatus(
        status, http::ParseRetryAfter(exchange.retry_after, std::chrono::system_clock::now()),
        exchange.body.text);
  }

 private:
  const HttpSubscriberOptions options_;
  const std::string signing_key_;  // "" when messages go unsigned
  const bool configured_content_type_;
  http::EasyHandle handle_;
};

}  // namespace

Result<std::unique_ptr<Subscriber>> MakeHttpSubscriber(HttpSubscriberOptions options) {
  if (Status status = http::CheckWebhookUrl(options.url); !status.ok()) return status;
  std::string signing_key;
  if (!options.signing_secret.empty()) {
    Result<std::string> key = http::SigningKeyFromSecret(options.signing_secret);
    if (!key) return key.error();
    signing_key = std::move(*key);
  }
  http::EasyHandle handle = http::MakeEasyHandle();
  if (!handle) return Status::Internal("cannot create a libcurl handle");
  return std::unique_ptr<Subscriber>(std::make_unique<HttpSubscriber>(
      std::move(options), std::move(signing_key), std::move(handle)));
}

}  // namespace kfpevents
