#include "http/retry_after.hpp"

#include <curl/curl.h>

#include <charconv>
#include <string>

#include "core/strings.hpp"

namespace kfpevents::http {

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now) {
  value = Trim(value, " \t");
  if (value.empty()) return std::nullopt;

  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc::result_out_of_range) return std::chrono::seconds::max();
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // IMF-fixdate, RFC 850 and asctime forms; curl_getdate parses all three.
  const std::string date(value);
  const time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  // In whole seconds: a date thousands of years ahead is a valid answer, but as a system_clock
  // time (nanoseconds) it would overflow. `when` is whole, so the rounded-up wait is
  // `when` less `now` rounded down.
  const std::int64_t from =
      std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  const std::int64_t until = static_cast<std::int64_t>(when);
  if (until <= from) return std::chrono::seconds(0);
  return std::chrono::seconds(until - from);
}

}  // namespace kfpevents::http
