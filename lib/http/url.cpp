#include "http/url.hpp"

#include <curl/curl.h>

#include <memory>
#include <string>

#include "http/curl_handle.hpp"

namespace kfpevents::http {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct StringDeleter {
  void operator()(char* text) const { curl_free(text); }
};

}  // namespace

Status CheckWebhookUrl(std::string_view url) {
  EnsureCurlInitialized();
  if (url.empty()) return Status::InvalidArgument("URL is empty");
  const std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) return Status::Internal("out of memory");
  const std::string text(url);
  // Without CURLU_GUESS_SCHEME, a URL lacking "scheme://" is rejected here.
  if (curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return Status::InvalidArgument("not a valid absolute URL (expected http://... or https://...)");
  }
  char* scheme_raw = nullptr;
  if (curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme_raw, 0) != CURLUE_OK) {
    return Status::InvalidArgument("URL has no scheme");
  }
  const std::unique_ptr<char, StringDeleter> scheme(scheme_raw);
  const std::string scheme_text(scheme.get());
  if (scheme_text != "http" && scheme_text != "https") {
    return Status::InvalidArgument("URL scheme must be http or https, not \"" + scheme_text + "\"");
  }
  char* host_raw = nullptr;
  if (curl_url_get(parsed.get(), CURLUPART_HOST, &host_raw, 0) != CURLUE_OK) {
    return Status::InvalidArgument("URL has no host");
  }
  const std::unique_ptr<char, StringDeleter> host(host_raw);
  if (std::string_view(host.get()).empty()) return Status::InvalidArgument("URL has no host");
  return Status::Ok();
}

}  // namespace kfpevents::http
