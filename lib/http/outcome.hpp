// Which HTTP answers and transport errors are worth retrying.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <string>

#include "kfpevents/subscriber.hpp"

namespace kfpevents::http {

// 2xx delivered; 408, 429 and 5xx retryable; everything else (3xx included: redirects are not
// followed) permanent. `body_excerpt` goes into the detail, shortened.
DeliveryResult ClassifyHttpStatus(long status, std::optional<std::chrono::seconds> retry_after,
                                  const std::string& body_excerpt);

// A transfer that got no usable response: retryable, except for errors no retry can fix
// (a malformed URL, an unsupported scheme).
DeliveryResult ClassifyTransportError(CURLcode code, const std::string& error_text);

}  // namespace kfpevents::http
