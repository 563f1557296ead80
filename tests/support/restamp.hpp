// Recorded fixtures moved in time, so that no test depends on the calendar date. A recording
// made on one day ages: a daemon started with --since 48h two days later sees its Events as
// history. Every fixture the tests serve passes through here instead, as if it happened just now.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kfpevents::testing {

// How long before a test starts its recorded runs began: inside the 48h look-back (--since) that
// the durable tests ask for, outside the 1h one that tests where --since cuts, so reconciliation
// fills nothing from Workflow status unless a test asks it to.
inline constexpr std::chrono::hours kRecordingAge{3};

// Shifts every timestamp in JSON texts by one offset: each RFC 3339 string in UTC
// ("2026-11-23T07:00:00Z", with or without a fraction) and each Argo node-start-time annotation
// (Unix nanoseconds). The first timestamp it meets, in any text, lands on `start`; the rest keep
// their distance from it, across every text it shifts. Fractions of a second are kept.
class Restamper {
 public:
  explicit Restamper(std::chrono::system_clock::time_point start) : start_(start) {}

  std::string operator()(std::string_view json);

 private:
  std::chrono::seconds OffsetFor(std::int64_t first_seconds);

  std::chrono::system_clock::time_point start_;
  std::optional<std::chrono::seconds> offset_;
};

}  // namespace kfpevents::testing
