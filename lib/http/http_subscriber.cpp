// The default webhook: one keep-alive libcurl handle per subscriber, reused for every POST.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "http/curl_handle.hpp"
#include "http/easy_settings.hpp"
#include "http/header_name.hpp"
#include "http/outcome.hpp"
#include "http/redact.hpp"
#include "http/retry_after.hpp"
#include "http/signing.hpp"
#include "http/url.hpp"
#include "kfpevents/subscribers.hpp"

namespace kfpevents {
namespace {

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user);
std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user);

// What a subscriber keeps out of error text: its configured header values and signing secret,
// computed once, and a message's own header values (an Azure DevOps token), when it has any.
struct Secrets {
  std::vector<std::string> configured;

  std::string Redacted(std::string text, const Message& message) const {
    if (text.empty()) return text;
    if (message.headers.empty()) return http::Redacted(std::move(text), configured);
    std::vector<std::string> all = http::SecretsOf(message.headers, "");
    all.insert(all.end(), configured.begin(), configured.end());
    // Longest first, as SecretsOf orders them: a value goes whole before a part of it could.
    std::stable_sort(all.begin(), all.end(), [](const std::string& a, const std::string& b) {
      return a.size() > b.size();
    });
    return http::Redacted(std::move(text), all);
  }
};

// One POST: the handle, its headers and what the callbacks collect. Its own headers lead into
// the subscriber's fixed ones, which are built once and shared by every transfer.
class WebhookTransfer final : public CurlTransfer {
 public:
  WebhookTransfer(http::EasyHandle easy, http::HeaderList headers, curl_slist* fixed_headers,
                  std::size_t max_response_bytes, const Secrets& secrets, const Message& message)
      : easy_(std::move(easy)),
        headers_(std::move(headers)),
        fixed_headers_(fixed_headers),
        secrets_(secrets),
        message_(message) {
    body_.max = max_response_bytes;
    if (headers_) {
      last_header_ = headers_.get();
      while (last_header_->next != nullptr) last_header_ = last_header_->next;
      last_header_->next = fixed_headers;
    }
  }
  ~WebhookTransfer() override {
    if (last_header_ != nullptr) last_header_->next = nullptr;  // the fixed ones are not ours
  }

  CURL* easy() override { return easy_.get(); }
  curl_slist* headers() { return headers_ ? headers_.get() : fixed_headers_; }
  char* error_text() { return error_text_; }

  // Keeps the response body up to the cap. Refusing the rest aborts the transfer with
  // CURLE_WRITE_ERROR, and the status line already received still decides the outcome.
  std::size_t Body(const char* data, std::size_t bytes) { return body_.Append(data, bytes); }
  void Header(std::string_view line) {
    static constexpr std::string_view kName = "Retry-After:";
    if (line.size() > kName.size() && http::SameHeaderName(line.substr(0, kName.size()), kName)) {
      line.remove_prefix(kName.size());
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
      retry_after_ = std::string(line);
    }
  }

  DeliveryResult Finish(CURLcode code) override {
    long status = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_ABORTED_BY_CALLBACK) {
      return {DeliveryOutcome::kRetryable, "cancelled: shutting down", 0, std::nullopt};
    }
    const bool got_status = status >= 100;
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && body_.overflowed && got_status)) {
      return http::ClassifyTransportError(code, secrets_.Redacted(error_text_, message_));
    }
    // What the subscriber answered becomes the error's text: it may echo what it was sent.
    return http::ClassifyHttpStatus(
        status, http::ParseRetryAfter(retry_after_, std::chrono::system_clock::now()),
        secrets_.Redacted(std::move(body_.text), message_));
  }

  CurlEasy Release() override { return std::move(easy_); }

 private:
  http::EasyHandle easy_;
  http::HeaderList headers_;
  curl_slist* fixed_headers_;          // the subscriber's
  curl_slist* last_header_ = nullptr;  // of headers_, linked to the fixed ones
  const Secrets& secrets_;             // kept out of the outcome's text
  const Message& message_;
  http::CappedBody body_;
  std::string retry_after_;
  char error_text_[CURL_ERROR_SIZE] = {};
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  return static_cast<WebhookTransfer*>(user)->Body(data, size * count);
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<WebhookTransfer*>(user)->Header(std::string_view(data, size * count));
  return size * count;
}

http::EasySettings SettingsOf(const HttpSubscriberOptions& options) {
  http::EasySettings settings;
  settings.user_agent = options.user_agent;
  settings.connect_timeout = options.connect_timeout;
  settings.timeout = options.total_timeout;
  settings.ca_file = options.ca_file;
  settings.insecure_skip_verify = options.insecure_skip_verify;
  return settings;
}

class HttpSubscriber final : public Subscriber, public CurlTransferSource {
 public:
  HttpSubscriber(HttpSubscriberOptions options, std::string signing_key, http::EasyHandle handle)
      : options_(std::move(options)),
        settings_(SettingsOf(options_)),
        signing_key_(std::move(signing_key)),
        // A configured Content-Type replaces the formatter's instead of being sent beside it.
        configured_content_type_(std::any_of(
            options_.headers.begin(), options_.headers.end(),
            [](const auto& header) { return http::SameHeaderName(header.first, "Content-Type"); })),
        handle_(std::move(handle)),
        secrets_{http::SecretsOf(options_.headers, options_.signing_secret)} {
    for (const auto& [name, value] : options_.headers) {
      fixed_headers_ok_ &= http::AppendHeader(fixed_headers_, name, value);
    }
    fixed_headers_ok_ &= http::AppendHeader(fixed_headers_, "Expect", "");  // no 100-continue
  }

  DeliveryResult Deliver(const Message& message, std::stop_token stop) override {
    Result<std::unique_ptr<CurlTransfer>> transfer = Prepare(message, std::move(handle_));
    if (!transfer) return PrepareFailed(transfer.error());
    CURL* curl = (*transfer)->easy();
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &http::AbortWhenStopped);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
    const DeliveryResult result = (*transfer)->Finish(curl_easy_perform(curl));
    handle_ = (*transfer)->Release();
    return result;
  }

  CurlTransferSource* CurlTransfers() override { return this; }

  Result<std::unique_ptr<CurlTransfer>> Prepare(const Message& message, CurlEasy reuse) override {
    // A per-message destination (an Azure DevOps callback) replaces the configured URL.
    const std::string& url = message.destination.empty() ? options_.url : message.destination;
    if (!message.destination.empty()) {
      if (Status checked = http::CheckWebhookUrl(url); !checked.ok()) {
        return Status::Permanent("the message's destination: " + checked.message());
      }
    } else if (url.empty()) {
      return Status::Permanent("no URL: the subscriber has none and the message names none");
    }
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
    if (!reuse) reuse = http::MakeEasyHandle();
    if (!headers_ok || !fixed_headers_ok_ || !reuse) return Status::Unavailable("out of memory");

    CURL* curl = reuse.get();
    curl_easy_reset(curl);  // keeps the connection cache, forgets the previous request
    auto transfer = std::make_unique<WebhookTransfer>(
        std::move(reuse), std::move(headers), fixed_headers_.get(), options_.max_response_bytes,
        secrets_, message);
    http::ApplyEasySettings(curl, url, settings_);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(message.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, transfer->headers());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, transfer->error_text());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, transfer.get());
    return std::unique_ptr<CurlTransfer>(std::move(transfer));
  }

 private:
  const HttpSubscriberOptions options_;
  const http::EasySettings settings_;  // the options' timeouts, user agent and TLS
  const std::string signing_key_;  // "" when messages go unsigned
  const bool configured_content_type_;
  http::EasyHandle handle_;  // the blocking path's, kept between calls for keep-alive
  const Secrets secrets_;
  http::HeaderList fixed_headers_;  // the configured ones and "Expect:", after each message's own
  bool fixed_headers_ok_ = true;
};

}  // namespace

Result<std::unique_ptr<Subscriber>> MakeHttpSubscriber(HttpSubscriberOptions options) {
  if (!options.url.empty()) {  // empty: every message names its destination
    if (Status status = http::CheckWebhookUrl(options.url); !status.ok()) return status;
  }
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
