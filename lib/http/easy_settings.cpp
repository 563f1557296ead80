#include "http/easy_settings.hpp"

#include "kfpevents/version.hpp"

namespace kfpevents::http {
namespace {

void SetBlob(CURL* curl, CURLoption option, const std::string& data) {
  curl_blob blob{const_cast<char*>(data.data()), data.size(), CURL_BLOB_NOCOPY};
  curl_easy_setopt(curl, option, &blob);
}

const std::string& DefaultUserAgent() {
  static const std::string kAgent = std::string("kfp-eventd/") + kVersion;
  return kAgent;
}

}  // namespace

void ApplyEasySettings(CURL* curl, const std::string& url, const EasySettings& settings) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, settings.user_agent.empty()
                                                ? DefaultUserAgent().c_str()
                                                : settings.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  if (!settings.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings.ca_file.c_str());
  if (!settings.ca_pem.empty()) SetBlob(curl, CURLOPT_CAINFO_BLOB, settings.ca_pem);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, settings.insecure_skip_verify ? 0L : 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, settings.insecure_skip_verify ? 0L : 2L);
  if (!settings.client_cert_pem.empty()) {
    SetClientCertificate(curl, settings.client_cert_pem, settings.client_key_pem);
  }
}

void SetClientCertificate(CURL* curl, const std::string& cert_pem, const std::string& key_pem) {
  SetBlob(curl, CURLOPT_SSLCERT_BLOB, cert_pem);
  curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
  SetBlob(curl, CURLOPT_SSLKEY_BLOB, key_pem);
  curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
}

}  // namespace kfpevents::http
