#include "http/outcome.hpp"

namespace kfpevents::http {
namespace {

// Response bodies can be anything: keep error details short and on one line.
std::string Excerpt(const std::string& body) {
  static constexpr std::size_t kMax = 200;
  std::string out;
  for (const char c : body) {
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
    out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return out;
}

}  // namespace

DeliveryResult ClassifyHttpStatus(long status, std::optional<std::chrono::seconds> retry_after,
                                  const std::string& body_excerpt) {
  DeliveryResult result;
  result.http_status = static_cast<int>(status);
  if (status >= 200 && status < 300) return result;

  result.detail = "HTTP " + std::to_string(status);
  if (status >= 300 && status < 400) {
    result.outcome = DeliveryOutcome::kPermanent;
    result.detail += " (redirects are not followed: point the subscriber at the final URL)";
    return result;
  }
  const std::string excerpt = Excerpt(body_excerpt);
  if (!excerpt.empty()) result.detail += ": " + excerpt;
  const bool retryable = status == 408 || status == 429 || status >= 500;
  result.outcome = retryable ? DeliveryOutcome::kRetryable : DeliveryOutcome::kPermanent;
  if (retryable) result.retry_after = retry_after;
  return result;
}

DeliveryResult ClassifyTransportError(CURLcode code, const std::string& error_text) {
  DeliveryResult result;
  result.detail = error_text.empty() ? curl_easy_strerror(code) : error_text;
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      result.outcome = DeliveryOutcome::kPermanent;
      break;
    default:
      result.outcome = DeliveryOutcome::kRetryable;
  }
  return result;
}

}  // namespace kfpevents::http
