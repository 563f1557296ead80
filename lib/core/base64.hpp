// Standard base64 (RFC 4648 section 4), as kubeconfig's *-data fields carry certificates and keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kfpevents {

// `bytes` as standard base64 with padding.
std::string EncodeBase64(std::string_view bytes);

// The decoded bytes, or nullopt when `text` is not base64. Whitespace (line breaks in wrapped
// values) is ignored; padding is optional.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace kfpevents
