#include "support/restamp.hpp"

#include <cctype>
#include <charconv>

#include "core/rfc3339.hpp"

namespace kfpevents::testing {
namespace {

constexpr std::string_view kNodeStartTime = "workflows.argoproj.io/node-start-time\":\"";
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

bool DigitsAt(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// The length of a UTC RFC 3339 date-time at `at` ("2026-11-23T07:00:00" + optional fraction +
// "Z") closed by a quote, or 0.
std::size_t DateTimeLength(std::string_view text, std::size_t at) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (at + kShape.size() > text.size()) return 0;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char c = text[at + i];
    if (kShape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(c)) : c != kShape[i]) return 0;
  }
  std::size_t end = at + kShape.size();
  if (end < text.size() && text[end] == '.') {
    ++end;
    while (DigitsAt(text, end, 1)) ++end;
  }
  if (end + 1 >= text.size() || text[end] != 'Z' || text[end + 1] != '"') return 0;
  return end + 1 - at;
}

}  // namespace

std::chrono::seconds Restamper::OffsetFor(std::int64_t first_seconds) {
  if (!offset_) {
    offset_ = std::chrono::duration_cast<std::chrono::seconds>(start_.time_since_epoch()) -
              std::chrono::seconds(first_seconds);
  }
  return *offset_;
}

std::string Restamper::operator()(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  std::size_t copied = 0;
  for (std::size_t quote = json.find('"'); quote != std::string_view::npos;
       quote = json.find('"', quote + 1)) {
    const std::size_t at = quote + 1;
    if (const std::size_t length = DateTimeLength(json, at); length != 0) {
      const std::string_view recorded = json.substr(at, length);
      const std::optional<std::int64_t> seconds = ParseRfc3339Seconds(recorded);
      if (!seconds) continue;  // the right shape, but no real date (month 13)
      const auto shifted = std::chrono::system_clock::time_point(std::chrono::seconds(*seconds) +
                                                                 OffsetFor(*seconds));
      out.append(json, copied, at - copied);
      out += FormatRfc3339(shifted, 0).substr(0, 19);  // the date and time, then the recorded
      out.append(recorded.substr(19));                 // fraction and "Z"
      copied = at + length;
      quote = copied;
    } else if (json.substr(at).starts_with(kNodeStartTime)) {
      const std::size_t digits = at + kNodeStartTime.size();
      std::int64_t nanos = 0;
      const auto [end, error] =
          std::from_chars(json.data() + digits, json.data() + json.size(), nanos);
      if (error != std::errc() || end == json.data() + digits || *end != '"') continue;
      nanos += OffsetFor(nanos / kNanosPerSecond).count() * kNanosPerSecond;
      out.append(json, copied, digits - copied);
      out += std::to_string(nanos);
      copied = static_cast<std::size_t>(end - json.data());
      quote = copied;
    }
  }
  out.append(json, copied);
  return out;
}

}  // namespace kfpevents::testing
