// Retry-After: delay-seconds or an HTTP-date; a parsed wait is never negative.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/retry_after.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1795000000));
  const auto wait = kfpevents::http::ParseRetryAfter(
      std::string_view(reinterpret_cast<const char*>(data), size), now);
  if (wait && wait->count() < 0) std::abort();
  return 0;
}
