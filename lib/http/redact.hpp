// Secrets kept out of error text: a subscriber that echoes a token in its error body ("invalid
// api key <key>") must not put it into the log, `outbox list` or state.db.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kfpevents::http {

// What to redact: every header value given, the credentials alone of a "Scheme credentials"
// value (Bearer, Basic, ...), and `secret`. Values shorter than 6 characters are left out: they
// are no secrets, and redacting them would blank ordinary words.
std::vector<std::string> SecretsOf(const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& secret);

// `text` with every occurrence of each secret replaced by "[redacted]".
std::string Redacted(std::string text, const std::vector<std::string>& secrets);

}  // namespace kfpevents::http
