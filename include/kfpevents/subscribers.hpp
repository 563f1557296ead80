// The built-in Subscribers: an HTTP(S) webhook and a line-per-message stream.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents {

struct HttpSubscriberOptions {
  // http:// or https://; may be empty when every message names its `destination`.
  std::string url;
  // Sent with every request after the message's own headers. Values may be secrets: they never
  // appear in logs or errors.
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{30000};
  // At most this much of a response body is read (kept for error details); the rest is refused.
  std::size_t max_response_bytes = 64 * 1024;
  std::string user_agent = "kfp-eventd";
  // Standard Webhooks signing: "whsec_<base64>" (or any other string, used as the key bytes).
  // Empty: messages go unsigned. Never logged.
  std::string signing_secret;
  std::string ca_file;                // empty: the system's trust store
  bool insecure_skip_verify = false;  // only for tests against self-signed endpoints
};

// POSTs each message's body (to its `destination` when it has one, else to `url`) with its
// content type, `webhook-id: <message id>`,
// `webhook-timestamp: <Unix seconds of this attempt>`, `webhook-signature: v1,<base64>` when a
// signing secret is set (computed anew for each attempt), and its headers.
// Keeps the connection alive between calls; never follows redirects (a 3xx is a permanent
// failure, as webhook receivers must answer 2xx). Outcomes: 2xx delivered; 408, 429, 5xx and
// network errors retryable (with Retry-After in seconds or HTTP-date form); other statuses
// permanent. Errors: kInvalidArgument for a URL that is not http(s) or cannot be parsed, or a
// "whsec_" secret that is not base64.
KFPEVENTS_EXPORT Result<std::unique_ptr<Subscriber>> MakeHttpSubscriber(
    HttpSubscriberOptions options);

// Writes each message body on its own line to `out` and flushes. `out` must outlive the
// subscriber. Bodies containing newlines are written as they are.
KFPEVENTS_EXPORT std::unique_ptr<Subscriber> MakeStreamSubscriber(std::ostream& out);

}  // namespace kfpevents
