// The Kubernetes EventSource in-process against the fake API server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "kfpevents/kube.hpp"
#include "support/capturing_logger.hpp"
#include "support/fake_kube_api.hpp"

namespace kfpevents {
namespace {

using ::testing::ElementsAre;
using testing::FakeKubeApi;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::WatchScript;
using testing::WatchStep;

std::string EventJson(const std::string& ns, const std::string& uid, const std::string& reason,
                      const std::string& component = "workflow-controller") {
  return R"({"kind":"Event","metadata":{"name":"wf.)" + uid + R"(","namespace":")" + ns +
         R"(","uid":")" + uid + R"(","resourceVersion":")" + uid +
         R"("},"involvedObject":{"kind":"Workflow","namespace":")" + ns +
         R"(","name":"wf","uid":"w"},"reason":")" + reason +
         R"(","message":"m","source":{"component":")" + component +
         R"("},"count":1,"lastTimestamp":"2026-11-23T07:00:00Z"})";
}

KubeEventSourceOptions OptionsFor(const FakeKubeApi& api, std::vector<std::string> namespaces) {
  KubeEventSourceOptions options;
  options.connection.server = api.Url();
  options.namespaces = std::move(namespaces);
  options.backoff.initial = std::chrono::milliseconds(1);
  options.backoff.max = std::chrono::milliseconds(5);
  return options;
}

std::string NextReason(EventSource& source) {
  Result<std::optional<WorkflowEvent>> next = source.Next({});
  EXPECT_TRUE(next && next->has_value());
  return next && next->has_value() ? (*next)->reason : "";
}

TEST(KubeEventSourceTest, RefusesImpossibleOptions) {
  KubeEventSourceOptions options;
  EXPECT_THAT(MakeKubeEventSource(options).error().message(), HasSubstr("no API server"));
  options.connection.server = "http://127.0.0.1:1";
  options.watch_timeout_min = std::chrono::seconds(10);
  options.watch_timeout_max = std::chrono::seconds(5);
  EXPECT_FALSE(MakeKubeEventSource(options));
  options.watch_timeout_max = std::chrono::seconds(10);
  options.page_size = 0;
  EXPECT_FALSE(MakeKubeEventSource(options));
}

TEST(KubeEventSourceTest, KeepsOnlyTheControllersEventsAndReportsGarbage) {
  FakeKubeApi api;
  api.SetEvents({}, "10");
  WatchScript script;
  script.steps = {WatchStep::Event("ADDED", EventJson("kubeflow", "1", "WorkflowRunning")),
                  WatchStep::Event("ADDED", EventJson("kubeflow", "2", "Scheduled", "kubelet")),
                  WatchStep::Raw("{\"type\":\"ADDED\",\"object\":{\"metadata\":{}}}\n"),
                  WatchStep::Event("ADDED", EventJson("kubeflow", "3", "WorkflowSucceeded"))};
  api.AddWatch(script);
  auto logger = std::make_shared<testing::CapturingLogger>();
  KubeEventSourceOptions options = OptionsFor(api, {"kubeflow"});
  options.logger = logger;
  Result<std::unique_ptr<EventSource>> source = MakeKubeEventSource(options);
  ASSERT_TRUE(source);
  EXPECT_EQ(NextReason(**source), "WorkflowRunning");
  EXPECT_EQ(NextReason(**source), "WorkflowSucceeded");
  EXPECT_THAT(logger->All(), HasSubstr("skipped an Event that cannot be read"));
}

TEST(KubeEventSourceTest, WatchesEachNamespaceOrAll) {
  FakeKubeApi api;
  api.SetEvents({}, "10");
  Result<std::unique_ptr<EventSource>> source = MakeKubeEventSource(OptionsFor(api, {"a", "b"}));
  ASSERT_TRUE(source);
  std::stop_source stop;
  std::jthread consumer([&] { (void)(*source)->Next(stop.get_token()); });
  ASSERT_TRUE(api.WaitForWatches(2, std::chrono::seconds(10)));
  stop.request_stop();
  consumer.join();
  std::vector<std::string> paths;
  for (const auto& watch : api.Watches()) paths.push_back(watch.path);
  EXPECT_THAT(paths,
              UnorderedElementsAre("/api/v1/namespaces/a/events", "/api/v1/namespaces/b/events"));

  FakeKubeApi all;
  all.SetEvents({}, "10");
  Result<std::unique_ptr<EventSource>> everywhere = MakeKubeEventSource(OptionsFor(all, {}));
  std::stop_source stop_all;
  std::jthread all_consumer([&] { (void)(*everywhere)->Next(stop_all.get_token()); });
  ASSERT_TRUE(all.WaitForWatches(1, std::chrono::seconds(10)));
  stop_all.request_stop();
  all_consumer.join();
  EXPECT_EQ(all.Watches().at(0).path, "/api/v1/events");
}

TEST(KubeEventSourceTest, AStopEndsAWaitingNext) {
  FakeKubeApi api;
  api.SetEvents({}, "10");  // then an idle watch: nothing ever arrives
  Result<std::unique_ptr<EventSource>> source = MakeKubeEventSource(OptionsFor(api, {"x"}));
  std::stop_source stop;
  std::jthread stopper([&] {
    api.WaitForWatches(1, std::chrono::seconds(10));
    stop.request_stop();
  });
  Result<std::optional<WorkflowEvent>> next = (*source)->Next(stop.get_token());
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->has_value());
}

TEST(KubeEventSourceTest, RetriesAFailingListUntilItWorks) {
  FakeKubeApi api;
  api.SetEvents({}, "10");
  api.FailNextList(500);
  api.FailNextList(429);
  WatchScript script;
  script.steps = {WatchStep::Event("ADDED", EventJson("kubeflow", "1", "WorkflowRunning"))};
  api.AddWatch(script);
  Result<std::unique_ptr<EventSource>> source = MakeKubeEventSource(OptionsFor(api, {"kubeflow"}));
  EXPECT_EQ(NextReason(**source), "WorkflowRunning");
  EXPECT_EQ(api.Lists().size(), 3u);
}

}  // namespace
}  // namespace kfpevents
