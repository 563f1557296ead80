#include "http/redact.hpp"

#include <algorithm>

namespace kfpevents::http {
namespace {

constexpr std::size_t kShortest = 6;

void Add(std::vector<std::string>& secrets, const std::string& value) {
  if (value.size() >= kShortest) secrets.push_back(value);
}

}  // namespace

std::vector<std::string> SecretsOf(const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& secret) {
  std::vector<std::string> secrets;
  for (const auto& [name, value] : headers) {
    Add(secrets, value);
    const std::size_t space = value.find(' ');
    if (space != std::string::npos) Add(secrets, value.substr(space + 1));
  }
  Add(secrets, secret);
  // Longest first, so that a value is redacted whole before a part of it is.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return secrets;
}

std::string Redacted(std::string text, const std::vector<std::string>& secrets) {
  static const std::string kMark = "[redacted]";
  for (const std::string& secret : secrets) {
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kMark.size())) {
      text.replace(at, secret.size(), kMark);
    }
  }
  return text;
}

}  // namespace kfpevents::http
