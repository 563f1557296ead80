#include "core/rfc3339.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace kfpevents {
namespace {

// Reads exactly `digits` decimal digits at text[pos]; advances pos.
std::optional<int> ReadNumber(std::string_view text, std::size_t& pos, int digits) {
  if (pos + static_cast<std::size_t>(digits) > text.size()) return std::nullopt;
  int value = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(digits);
  return value;
}

bool Expect(std::string_view text, std::size_t& pos, char wanted) {
  if (pos >= text.size() || text[pos] != wanted) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<std::int64_t> ParseRfc3339Seconds(std::string_view text) {
  std::size_t pos = 0;
  const auto year = ReadNumber(text, pos, 4);
  if (!year || !Expect(text, pos, '-')) return std::nullopt;
  const auto month = ReadNumber(text, pos, 2);
  if (!month || !Expect(text, pos, '-')) return std::nullopt;
  const auto day = ReadNumber(text, pos, 2);
  if (!day || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  const auto hour = ReadNumber(text, pos, 2);
  if (!hour || !Expect(text, pos, ':')) return std::nullopt;
  const auto minute = ReadNumber(text, pos, 2);
  if (!minute || !Expect(text, pos, ':')) return std::nullopt;
  const auto second = ReadNumber(text, pos, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  int offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    const auto offset_hours = ReadNumber(text, pos, 2);
    if (!offset_hours || !Expect(text, pos, ':')) return std::nullopt;
    const auto offset_minutes = ReadNumber(text, pos, 2);
    if (!offset_minutes) return std::nullopt;
    offset_seconds = sign * (*offset_hours * 3600 + *offset_minutes * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return static_cast<std::int64_t>(days) * 86400 + *hour * 3600 + *minute * 60 + *second -
         offset_seconds;
}

std::string FormatRfc3339(std::chrono::system_clock::time_point time, int fraction_digits) {
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(nanos / 1'000'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[48];
  std::size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  if (fraction_digits > 0) {
    long long fraction = nanos % 1'000'000'000;
    for (int digits = 9; digits > fraction_digits; --digits) fraction /= 10;
    length += static_cast<std::size_t>(
        std::snprintf(text + length, sizeof(text) - length, ".%0*lld", fraction_digits, fraction));
  }
  std::snprintf(text + length, sizeof(text) - length, "Z");
  return text;
}

}  // namespace kfpevents
