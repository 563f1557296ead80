#include "kfpevents/replay.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "replay/line_reader.hpp"
#include "support/capturing_logger.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using testing::CapturingLogger;
using ::testing::HasSubstr;
using testing::TempDir;

constexpr const char* kEvent =
    R"({"kind":"Event","metadata":{"name":"e1"},"reason":"WorkflowRunning","message":"Workflow Running","involvedObject":{"kind":"Workflow","namespace":"ns","name":"wf","uid":"u1"}})";
constexpr const char* kWorkflow =
    R"({"kind":"Workflow","metadata":{"name":"wf","namespace":"ns","uid":"u1","labels":{"pipeline/runid":"run-1"}},"status":{"phase":"Running"}})";

std::vector<WorkflowEvent> Drain(EventSource& source) {
  std::vector<WorkflowEvent> out;
  for (;;) {
    Result<std::optional<WorkflowEvent>> next = source.Next({});
    EXPECT_TRUE(next);
    if (!next || !next->has_value()) return out;
    out.push_back(**next);
  }
}

TEST(ReplayTest, ReplaysWatchEventsAndBareEventsInOrderAndServesWorkflows) {
  TempDir dir;
  const std::string file = dir.Write(
      "run.jsonl",
      std::string("# comment\n\n") + R"({"type":"ADDED","object":)" + kEvent + "}\n" + kWorkflow +
          "\n" +
          R"({"type":"MODIFIED","object":{"reason":"WorkflowSucceeded","involvedObject":{"name":"wf","namespace":"ns"}}})" +
          "\r\n");
  auto logger = std::make_shared<CapturingLogger>();
  Result<ReplayParts> parts = MakeReplay({file, 1024 * 1024, logger});
  ASSERT_TRUE(parts) << parts.error().ToString();
  EXPECT_EQ(parts->bad_lines, 0u);
  const std::vector<WorkflowEvent> events = Drain(*parts->source);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].reason, "WorkflowRunning");
  EXPECT_EQ(events[1].reason, "WorkflowSucceeded");

  Result<SharedWorkflowInfo> workflow = parts->resolver->Resolve({"ns", "wf", "u1"}, {});
  ASSERT_TRUE(workflow);
  EXPECT_EQ((*workflow)->labels.at("pipeline/runid"), "run-1");
  EXPECT_TRUE(parts->resolver->Resolve({"ns", "wf", ""}, {}));
  EXPECT_EQ(parts->resolver->Resolve({"ns", "other", ""}, {}).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(parts->resolver->Resolve({"ns", "wf", "another-uid"}, {}).error().code(),
            ErrorCode::kNotFound);
}

TEST(ReplayTest, BadLinesAreReportedWithTheirNumberCountedAndSkipped) {
  TempDir dir;
  const std::string file = dir.Write(
      "run.jsonl", std::string(kEvent) + "\n" +                                       // 1
                       "{not json\n" +                                                // 2
                       "[1,2,3]\n" +                                                  // 3
                       R"({"kind":"Pod","metadata":{}})" + "\n" +                     // 4
                       R"({"kind":"Event","involvedObject":{"name":"wf"}})" + "\n" +  // 5
                       R"({"type":"WHAT","object":{}})" + "\n" +                      // 6
                       R"({"type":"DELETED","object":{}})" + "\n" +  // 7: skipped, not bad
                       std::string(400, 'x') + "\n" +                // 8: too long
                       kEvent);                                      // 9, no final newline
  auto logger = std::make_shared<CapturingLogger>();
  Result<ReplayParts> parts = MakeReplay({file, 300, logger});
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->bad_lines, 6u);
  EXPECT_EQ(Drain(*parts->source).size(), 2u);  // lines 1 and 9
  const std::vector<std::string> warnings = logger->Lines(LogLevel::kWarning);
  ASSERT_EQ(warnings.size(), 6u) << logger->All();
  EXPECT_THAT(warnings[0], HasSubstr(":2: skipped: invalid JSON at offset"));
  EXPECT_THAT(warnings[1], HasSubstr(":3: skipped: not a JSON object"));
  EXPECT_THAT(warnings[2], HasSubstr(":4: skipped: unsupported kind \"Pod\""));
  EXPECT_THAT(warnings[3], HasSubstr(":5: skipped: Event has no reason"));
  EXPECT_THAT(warnings[4], HasSubstr(":6: skipped: watch event type must be"));
  EXPECT_THAT(warnings[5], HasSubstr(":8: skipped: line longer than 300 bytes"));
}

// Lines longer than the reader's 64 KB blocks: kept whole, or skipped whole when over the limit.
TEST(LineReaderTest, LinesThatSpanBlocksAreWholeAndOverLongOnesAreSkippedWhole) {
  const std::string long_line(150 * 1024, 'a');
  const std::string too_long(200 * 1024, 'b');
  std::istringstream in("short\r\n" + long_line + "\n" + too_long + "\n\nlast");
  replay::LineReader reader(in, 160 * 1024);
  std::string line;
  EXPECT_EQ(reader.Next(line), replay::LineReader::Read::kLine);
  EXPECT_EQ(line, "short");
  EXPECT_EQ(reader.Next(line), replay::LineReader::Read::kLine);
  EXPECT_EQ(line, long_line);
  EXPECT_EQ(reader.Next(line), replay::LineReader::Read::kTooLong);
  EXPECT_EQ(reader.line_number(), 3U);
  EXPECT_EQ(reader.Next(line), replay::LineReader::Read::kLine);
  EXPECT_EQ(line, "");
  EXPECT_EQ(reader.Next(line), replay::LineReader::Read::kLine);
  EXPECT_EQ(line, "last");
  EXPECT_EQ(reader.line_number(), 5U);
  EXPECT_EQ(reader.Next(line), replay::LineReader::Read::kEnd);
}

TEST(ReplayTest, TheLastRecordedCopyOfAWorkflowWins) {
  TempDir dir;
  std::string later = kWorkflow;
  later.replace(later.find("Running"), 7, "Succeeded");
  const std::string file = dir.Write("run.jsonl", std::string(kWorkflow) + "\n" + later + "\n");
  Result<ReplayParts> parts = MakeReplay({file, 1024, nullptr});
  ASSERT_TRUE(parts);
  EXPECT_EQ((*parts->resolver->Resolve({"ns", "wf", "u1"}, {}))->phase, "Succeeded");
}

TEST(ReplayTest, AMissingFileIsAClearError) {
  Result<ReplayParts> parts = MakeReplay({"/nonexistent/run.jsonl", 1024, nullptr});
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(parts.error().message(), HasSubstr("/nonexistent/run.jsonl"));
}

TEST(ReplayTest, StopEndsTheStream) {
  TempDir dir;
  Result<ReplayParts> parts = MakeReplay({dir.Write("run.jsonl", kEvent), 1024, nullptr});
  ASSERT_TRUE(parts);
  std::stop_source stop;
  stop.request_stop();
  Result<std::optional<WorkflowEvent>> next = parts->source->Next(stop.get_token());
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->has_value());
}

}  // namespace
}  // namespace kfpevents
