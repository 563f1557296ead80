// Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256>` over
// "{webhook-id}.{webhook-timestamp}.{body}".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::http {

// The HMAC key a configured secret stands for: the base64-decoded part after "whsec_", or the
// secret's own bytes when it has no such prefix. Errors never quote the secret.
Result<std::string> SigningKeyFromSecret(std::string_view secret);

// "v1,<base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)>".
std::string SignWebhook(std::string_view key, std::string_view id, std::int64_t timestamp,
                        std::string_view body);

}  // namespace kfpevents::http
