#include "kube/watch_frames.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kube/api_client.hpp"

namespace kfpevents::kube {
namespace {

using ::testing::HasSubstr;

constexpr const char* kEvent =
    R"({"kind":"Event","metadata":{"name":"wf.1","namespace":"kubeflow","uid":"u1","resourceVersion":"77"},)"
    R"("involvedObject":{"kind":"Workflow","namespace":"kubeflow","name":"wf","uid":"w1","resourceVersion":"70"},)"
    R"("reason":"WorkflowRunning","message":"Workflow Running","source":{"component":"workflow-controller"},)"
    R"("count":3,"series":{"count":5}})";

TEST(DecodeWatchLineTest, AddedCarriesTheEventAndItsVersion) {
  Result<WatchFrame> frame =
      DecodeWatchLine(std::string(R"({"type":"ADDED","object":)") + kEvent + "}");
  ASSERT_TRUE(frame) << frame.error().ToString();
  EXPECT_EQ(frame->type, WatchType::kAdded);
  EXPECT_EQ(frame->resource_version, "77");
  EXPECT_EQ(frame->uid, "u1");
  ASSERT_TRUE(frame->event);
  EXPECT_EQ(frame->event->reason, "WorkflowRunning");
  EXPECT_EQ(frame->event->count, 5);  // series.count wins when higher
  EXPECT_EQ(frame->event->involved_object.resource_version, "70");
}

TEST(DecodeWatchLineTest, BookmarkCarriesOnlyAVersion) {
  Result<WatchFrame> frame = DecodeWatchLine(
      R"({"type":"BOOKMARK","object":{"kind":"Event","apiVersion":"v1","metadata":{"resourceVersion":"12345"}}})");
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->type, WatchType::kBookmark);
  EXPECT_EQ(frame->resource_version, "12345");
}

TEST(DecodeWatchLineTest, ErrorCarriesTheStatus) {
  Result<WatchFrame> frame = DecodeWatchLine(
      R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (2)","reason":"Expired","code":410}})json");
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->type, WatchType::kError);
  EXPECT_EQ(frame->status.code, 410);
  EXPECT_EQ(frame->status.reason, "Expired");
}

TEST(DecodeWatchLineTest, AnUnreadableEventIsAFrameWithAnError) {
  Result<WatchFrame> frame = DecodeWatchLine(
      R"({"type":"ADDED","object":{"kind":"Event","metadata":{"resourceVersion":"9"}}})");
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->resource_version, "9");
  EXPECT_FALSE(frame->event);
  EXPECT_THAT(frame->event.error().message(), HasSubstr("no reason"));
}

TEST(DecodeWatchLineTest, RejectsWhatIsNotAWatchLine) {
  EXPECT_THAT(DecodeWatchLine("garbage").error().message(), HasSubstr("invalid JSON"));
  EXPECT_THAT(DecodeWatchLine(R"({"type":"SURPRISE","object":{}})").error().message(),
              HasSubstr("unknown watch type \"SURPRISE\""));
  EXPECT_THAT(DecodeWatchLine(R"({"object":{}})").error().message(), HasSubstr("no type"));
  EXPECT_THAT(DecodeWatchLine(R"({"type":"ADDED"})").error().message(), HasSubstr("no object"));
  EXPECT_FALSE(DecodeWatchLine("[1,2]"));
}

TEST(DecodeEventListTest, ReadsVersionContinueAndItemsAndReportsBadOnes) {
  Result<EventListPage> page = DecodeEventList(
      std::string(
          R"({"kind":"EventList","metadata":{"resourceVersion":"500","continue":"abc"},"items":[)") +
      kEvent + R"(,{"metadata":{}}]})");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->resource_version, "500");
  EXPECT_EQ(page->continue_token, "abc");
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].uid, "u1");
  ASSERT_EQ(page->bad_items.size(), 1u);
  EXPECT_FALSE(DecodeEventList("{"));
  EXPECT_FALSE(DecodeEventList("{}"));
}

TEST(DecodeApiStatusTest, ReadsAStatusOrQuotesTheBody) {
  const ApiStatus status = DecodeApiStatus(
      R"({"kind":"Status","status":"Failure","message":"events is forbidden","reason":"Forbidden","code":403})",
      403);
  EXPECT_EQ(status.code, 403);
  EXPECT_EQ(status.reason, "Forbidden");
  EXPECT_EQ(status.message, "events is forbidden");
  const ApiStatus plain = DecodeApiStatus("<html>\nbad gateway</html>", 502);
  EXPECT_EQ(plain.code, 502);
  EXPECT_EQ(plain.message, "<html> bad gateway</html>");
}

TEST(QueryEscapeTest, EncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(QueryEscape("involvedObject.kind=Workflow"), "involvedObject.kind%3DWorkflow");
  EXPECT_EQ(QueryEscape("a b/c&d~_-"), "a%20b%2Fc%26d~_-");
}

}  // namespace
}  // namespace kfpevents::kube
