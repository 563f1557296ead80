// HTTP header names compare case-insensitively (RFC 9110 §5.1).
#pragma once

#include <string_view>

namespace kfpevents::http {

bool SameHeaderName(std::string_view a, std::string_view b);

// Orders header names ignoring case, for sets and maps keyed by header name.
struct HeaderNameLess {
  bool operator()(std::string_view a, std::string_view b) const;
};

}  // namespace kfpevents::http
