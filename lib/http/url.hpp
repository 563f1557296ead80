// Webhook URL checks shared by configuration and the HTTP subscriber.
#pragma once

#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::http {

// OK for an absolute http:// or https:// URL with a host. The error never repeats the URL,
// which may carry a secret (Teams and Slack webhook URLs do).
Status CheckWebhookUrl(std::string_view url);

}  // namespace kfpevents::http
