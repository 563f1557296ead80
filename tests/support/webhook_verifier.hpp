// An independent Standard Webhooks verifier, written from the spec for the tests: HMAC-SHA256
// (RFC 2104) built on plain SHA-256, base64 from OpenSSL's encoder. It shares no code with the
// signer under test.
#pragma once

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <string>
#include <string_view>

namespace kfpevents::testing {

inline std::string Sha256(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || message)), K padded to SHA-256's 64-byte block.
inline std::string HmacSha256(std::string key, std::string_view message) {
  constexpr std::size_t kBlock = 64;
  if (key.size() > kBlock) key = Sha256(key);
  key.resize(kBlock, '\0');
  std::string inner(kBlock, '\0');
  std::string outer(kBlock, '\0');
  for (std::size_t i = 0; i < kBlock; ++i) {
    inner[i] = static_cast<char>(key[i] ^ 0x36);
    outer[i] = static_cast<char>(key[i] ^ 0x5c);
  }
  return Sha256(outer + Sha256(inner + std::string(message)));
}

inline std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

// The `webhook-signature` value a receiver expects for this message, with the raw key bytes.
inline std::string ExpectedSignature(const std::string& key, std::string_view id,
                                     std::string_view timestamp, std::string_view body) {
  return "v1," + Base64(HmacSha256(key, std::string(id) + "." + std::string(timestamp) + "." +
                                            std::string(body)));
}

}  // namespace kfpevents::testing
