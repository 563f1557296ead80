#include "support/restamp.hpp"

#include <gtest/gtest.h>

#include "support/example_runs.hpp"

namespace kfpevents::testing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// 2026-11-23T07:00:00Z, when the example runs were recorded.
const auto kRecorded = std::chrono::system_clock::time_point(seconds(1795417200));

TEST(RestamperTest, MovesTheFirstTimestampToTheStartAndEveryOtherByTheSameOffset) {
  Restamper restamp(kRecorded + hours(24 * 365));
  EXPECT_EQ(
      restamp(R"({"firstTimestamp":"2026-11-23T07:00:00Z",)"
              R"("annotations":{"workflows.argoproj.io/node-start-time":"1795417202123456789"},)"
              R"("finishedAt":"2026-11-23T23:59:59.250Z"})"),
      R"({"firstTimestamp":"2027-11-23T07:00:00Z",)"
      R"("annotations":{"workflows.argoproj.io/node-start-time":"1826953202123456789"},)"
      R"("finishedAt":"2027-11-23T23:59:59.250Z"})");
}

TEST(RestamperTest, KeepsOneOffsetAcrossTexts) {
  Restamper restamp(kRecorded - hours(1));
  EXPECT_EQ(restamp(R"({"at":"2026-11-23T07:00:30Z"})"), R"({"at":"2026-11-23T06:00:00Z"})");
  EXPECT_EQ(restamp(R"({"at":"2026-11-23T07:00:00Z"})"), R"({"at":"2026-11-23T05:59:30Z"})");
}

TEST(RestamperTest, TheOffsetMayComeFromANodeStartTime) {
  Restamper restamp(kRecorded + seconds(10));
  EXPECT_EQ(restamp(R"({"workflows.argoproj.io/node-start-time":"1795417200000000001",)"
                    R"("startedAt":"2026-11-23T07:00:05Z"})"),
            R"({"workflows.argoproj.io/node-start-time":"1795417210000000001",)"
            R"("startedAt":"2026-11-23T07:00:15Z"})");
}

TEST(RestamperTest, LeavesWhatIsNoUtcTimestampAlone) {
  const std::string untouched =
      R"({"a":"2026-11-23","b":"2026-11-23T07:00:00","c":"2026-11-23T07:00:00+01:00",)"
      R"("d":"2026-13-01T00:00:00Z","e":"x2026-11-23T07:00:00Z","f":1795417200,)"
      R"("workflows.argoproj.io/node-start-time":"soon","g":"2026-11-23T07:00:00Zjunk"})";
  Restamper restamp(kRecorded + hours(5));
  EXPECT_EQ(restamp(untouched), untouched);
}

TEST(RestamperTest, TheExampleRunsLoadAsIfTheyBeganAtTheStart) {
  const auto start = std::chrono::system_clock::time_point(seconds(1900000000));
  const ExampleRuns recorded = LoadExampleRuns(
      std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl", "", std::nullopt);
  const ExampleRuns moved =
      LoadExampleRuns(std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl", "", start);
  EXPECT_EQ(TextFieldOf(recorded.events.front(), "lastTimestamp"), "2026-11-23T07:00:00Z");
  EXPECT_EQ(TextFieldOf(moved.events.front(), "lastTimestamp"), "2030-03-17T17:46:40Z");
  ASSERT_EQ(moved.events.size(), recorded.events.size());
  for (const std::string& event : moved.events) {
    EXPECT_EQ(event.find("2026-11-23"), std::string::npos) << event;
    EXPECT_EQ(event.find("17954172"), std::string::npos) << event;
  }
  for (const auto& [name, workflow] : moved.workflows) {
    EXPECT_EQ(workflow.find("2026-11-23"), std::string::npos) << workflow;
  }
}

}  // namespace
}  // namespace kfpevents::testing
