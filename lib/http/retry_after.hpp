// The Retry-After response header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace kfpevents::http {

// The wait the server asked for, measured from `now`; a date in the past gives zero.
// nullopt when the value is neither a non-negative integer nor an HTTP-date.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now);

}  // namespace kfpevents::http
