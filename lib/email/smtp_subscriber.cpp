// Sends formatted mail over SMTP with libcurl: smtp:// with STARTTLS required by default, or
// smtps://. The SMTP reply decides the outcome: 4xx is retried, 5xx is permanent.
#include <curl/curl.h>

#include <cstring>

#include "email/email.hpp"
#include "http/curl_handle.hpp"
#include "http/outcome.hpp"
#include "kfpevents/config.hpp"

namespace kfpevents::email {
namespace {

struct Upload {
  const std::string* text;
  std::size_t at = 0;
};

std::size_t ReadMail(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->text->size() - upload->at);
  std::memcpy(buffer, upload->text->data() + upload->at, n);
  upload->at += n;
  return n;
}

class SmtpSubscriber final : public Subscriber {
 public:
  explicit SmtpSubscriber(SmtpOptions options) : options_(std::move(options)) {}

  // Each mail is its own SMTP session: as many at once as `concurrency` asks.
  int MaxConcurrentDeliveries() const override { return kMaxConcurrency; }

  DeliveryResult Deliver(const Message& message, std::stop_token stop) override {
    http::EasyHandle easy = http::MakeEasyHandle();
    if (!easy) return {DeliveryOutcome::kRetryable, "out of memory", 0, std::nullopt};
    CURL* curl = easy.get();
    curl_slist* recipients = nullptr;
    for (const std::string& to : options_.to) {
      recipients = curl_slist_append(recipients, ("<" + to + ">").c_str());
    }
    Upload upload{&message.body};
    char error_text[CURL_ERROR_SIZE] = {};
    const std::string from = "<" + options_.from + ">";
    curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadMail);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.body.size()));
    if (options_.url.rfind("smtp://", 0) == 0 && options_.starttls) {
      curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    if (!options_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
    }
    if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &http::AbortWhenStopped);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    if (code == CURLE_OK) return DeliveryResult::Delivered();
    if (code == CURLE_ABORTED_BY_CALLBACK) {
      return {DeliveryOutcome::kRetryable, "cancelled: shutting down", 0, std::nullopt};
    }
    const std::string detail = "SMTP " + (reply > 0 ? std::to_string(reply) + ": " : "") +
                               (error_text[0] != '\0' ? error_text : curl_easy_strerror(code));
    if (code == CURLE_LOGIN_DENIED || code == CURLE_USE_SSL_FAILED || reply >= 500) {
      return {DeliveryOutcome::kPermanent, detail, 0, std::nullopt};
    }
    if (reply >= 400) return {DeliveryOutcome::kRetryable, detail, 0, std::nullopt};
    DeliveryResult transport = http::ClassifyTransportError(code, error_text);
    transport.detail = detail;
    return transport;
  }

 private:
  const SmtpOptions options_;
};

}  // namespace

Result<std::unique_ptr<Subscriber>> MakeSmtpSubscriber(SmtpOptions options) {
  if (options.url.rfind("smtp://", 0) != 0 && options.url.rfind("smtps://", 0) != 0) {
    return Status::InvalidArgument("url must be smtp://host:port or smtps://host:port");
  }
  if (options.from.empty()) return Status::InvalidArgument("`from` is required");
  if (options.to.empty()) return Status::InvalidArgument("`to` needs at least one address");
  return std::unique_ptr<Subscriber>(std::make_unique<SmtpSubscriber>(std::move(options)));
}

}  // namespace kfpevents::email
