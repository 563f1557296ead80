// What every HTTP request kfp-eventd makes has in common, set on a libcurl handle in one place:
// the Kubernetes API client, the KFP client and the webhook subscriber all start here, so TLS,
// timeouts, redirects and protocols mean the same everywhere.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>

namespace kfpevents::http {

struct EasySettings {
  std::string user_agent;  // "" for kfp-eventd/<version>
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};  // the whole request; 0 for none (a watch)
  // TLS: trust this CA (a file, or PEM text) instead of the system's; present this client
  // certificate and key (PEM); or verify nothing (--insecure flags only).
  std::string ca_file;
  std::string ca_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
  bool insecure_skip_verify = false;
};

// Sets on `curl`: the URL, http and https only, no signals, no redirects followed, TCP
// keep-alive, the timeouts, the user agent and TLS. The strings in `settings` must outlive the
// transfer (blobs are not copied).
void ApplyEasySettings(CURL* curl, const std::string& url, const EasySettings& settings);

// Presents this client certificate and key (PEM), which must outlive the transfer.
void SetClientCertificate(CURL* curl, const std::string& cert_pem, const std::string& key_pem);

}  // namespace kfpevents::http
