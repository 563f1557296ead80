#include "http/signing.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/base64.hpp"

namespace kfpevents::http {

Result<std::string> SigningKeyFromSecret(std::string_view secret) {
  static constexpr std::string_view kPrefix = "whsec_";
  if (secret.empty()) return Status::InvalidArgument("the signing secret is empty");
  if (secret.substr(0, kPrefix.size()) != kPrefix) return std::string(secret);
  std::optional<std::string> key = DecodeBase64(secret.substr(kPrefix.size()));
  if (!key || key->empty()) {
    return Status::InvalidArgument(
        "the signing secret starts with whsec_ but the rest is not "
        "base64");
  }
  return std::move(*key);
}

std::string SignWebhook(std::string_view key, std::string_view id, std::int64_t timestamp,
                        std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_size);
  return "v1," + EncodeBase64(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

}  // namespace kfpevents::http
