#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "kfpevents/kube.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents {
namespace {

using ::testing::_;
using testing::MockWorkflowResolver;
using ::testing::Return;

WorkflowInfo Info(const std::string& uid, const std::string& phase, const std::string& rv = "1") {
  WorkflowInfo info;
  info.name = "wf-" + uid;
  info.namespace_name = "kubeflow";
  info.uid = uid;
  info.phase = phase;
  info.resource_version = rv;
  return info;
}

// As a resolver answers.
Result<SharedWorkflowInfo> Workflow(const std::string& uid, const std::string& phase,
                                    const std::string& rv = "1") {
  return testing::Shared(Info(uid, phase, rv));
}

WorkflowRef Ref(const std::string& uid, const std::string& phase) {
  WorkflowRef ref;
  ref.namespace_name = "kubeflow";
  ref.name = "wf-" + uid;
  ref.uid = uid;
  ref.phase = phase;
  return ref;
}

TEST(CachingResolverTest, AnswersFromTheCacheWhileItKnowsTheEventsState) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  EXPECT_CALL(*inner, Resolve(_, _)).WillOnce(Return(Workflow("a", "Running")));
  auto cache = MakeCachingResolver(std::move(inner));
  EXPECT_EQ((*cache->Resolve(Ref("a", "Running"), {}))->phase, "Running");
  EXPECT_EQ((*cache->Resolve(Ref("a", "Running"), {}))->phase, "Running");
  EXPECT_EQ((*cache->Resolve(Ref("a", ""), {}))->phase, "Running");
}

// Summaries are shared, not copied per event, and never change under whoever holds one.
TEST(CachingResolverTest, TheEventsOfOneWorkflowVersionShareOneSummary) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  EXPECT_CALL(*inner, Resolve(_, _)).Times(0);
  auto cache = MakeCachingResolver(std::move(inner));
  cache->Remember(Info("a", "Running"));
  const SharedWorkflowInfo first = *cache->Resolve(Ref("a", "Running"), {});
  const SharedWorkflowInfo second = *cache->Resolve(Ref("a", ""), {});
  EXPECT_EQ(first.get(), second.get());

  cache->Remember(Info("a", "Succeeded", "2"));
  const SharedWorkflowInfo newer = *cache->Resolve(Ref("a", "Succeeded"), {});
  EXPECT_NE(newer.get(), first.get());
  EXPECT_EQ(newer->phase, "Succeeded");
  EXPECT_EQ(first->phase, "Running");  // what an earlier event was given stays as it was

  // Beyond the few kept unpacked, a summary is unpacked again from its packed form.
  for (int i = 0; i < 20; ++i) cache->Remember(Info("other-" + std::to_string(i), "Running"));
  const SharedWorkflowInfo again = *cache->Resolve(Ref("a", "Succeeded"), {});
  EXPECT_NE(again.get(), newer.get());
  EXPECT_EQ(again->resource_version, "2");
}

TEST(CachingResolverTest, FetchesAgainWhenTheEventReportsANewerState) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  EXPECT_CALL(*inner, Resolve(_, _))
      .WillOnce(Return(Workflow("a", "Running")))
      .WillOnce(Return(Workflow("a", "Succeeded", "2")));
  auto cache = MakeCachingResolver(std::move(inner));
  EXPECT_TRUE(cache->Resolve(Ref("a", "Running"), {}));
  EXPECT_EQ((*cache->Resolve(Ref("a", "Succeeded"), {}))->phase, "Succeeded");
  EXPECT_EQ((*cache->Resolve(Ref("a", "Succeeded"), {}))->resource_version, "2");  // cached now
}

TEST(CachingResolverTest, EvictsTheLeastRecentlyUsedBeyondItsEntryLimit) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  auto* mock = inner.get();
  EXPECT_CALL(*mock, Resolve(_, _)).WillRepeatedly([](const WorkflowRef& ref, std::stop_token) {
    return Workflow(ref.uid, "Running");
  });
  auto cache = MakeCachingResolver(std::move(inner), {2, 1 << 20});
  EXPECT_TRUE(cache->Resolve(Ref("a", "Running"), {}));
  EXPECT_TRUE(cache->Resolve(Ref("b", "Running"), {}));
  EXPECT_TRUE(cache->Resolve(Ref("a", "Running"), {}));  // a is now the most recent
  EXPECT_TRUE(cache->Resolve(Ref("c", "Running"), {}));  // evicts b
  ::testing::Mock::VerifyAndClearExpectations(mock);
  EXPECT_CALL(*mock, Resolve(::testing::Field(&WorkflowRef::uid, "b"), _))
      .WillOnce(Return(Workflow("b", "Running")));
  EXPECT_TRUE(cache->Resolve(Ref("a", "Running"), {}));
  EXPECT_TRUE(cache->Resolve(Ref("b", "Running"), {}));
}

TEST(CachingResolverTest, StaysWithinItsMemoryLimit) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  auto* mock = inner.get();
  int fetches = 0;
  EXPECT_CALL(*mock, Resolve(_, _)).WillRepeatedly([&](const WorkflowRef& ref, std::stop_token) {
    ++fetches;
    WorkflowInfo info = Info(ref.uid, "Running");
    info.message = std::string(4000, 'x');
    return Result<SharedWorkflowInfo>(testing::Shared(std::move(info)));
  });
  auto cache = MakeCachingResolver(std::move(inner), {1000, 10'000});  // room for two
  for (const char* uid : {"a", "b", "c"}) EXPECT_TRUE(cache->Resolve(Ref(uid, "Running"), {}));
  EXPECT_TRUE(cache->Resolve(Ref("a", "Running"), {}));  // evicted by c
  EXPECT_EQ(fetches, 4);
}

TEST(CachingResolverTest, ServesAStaleCopyWhileTheServerIsAwayAndForgetsDeletedWorkflows) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  EXPECT_CALL(*inner, Resolve(_, _))
      .WillOnce(Return(Workflow("a", "Running")))
      .WillOnce(Return(Status::Unavailable("connection refused")))
      .WillOnce(Return(Status::NotFound("gone")))
      .WillOnce(Return(Status::NotFound("gone")));
  auto cache = MakeCachingResolver(std::move(inner));
  EXPECT_TRUE(cache->Resolve(Ref("a", "Running"), {}));
  EXPECT_EQ((*cache->Resolve(Ref("a", "Succeeded"), {}))->phase, "Running");  // stale beats none
  EXPECT_EQ(cache->Resolve(Ref("a", "Succeeded"), {}).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(cache->Resolve(Ref("a", "Running"), {}).error().code(), ErrorCode::kNotFound);
}

// A deleted Workflow's summary stays for the Events still on their way, then goes: the cache
// holds what exists, not everything that ever did.
TEST(CachingResolverTest, DropsADeletedWorkflowAfterItsGracePeriod) {
  auto inner = std::make_unique<MockWorkflowResolver>();
  auto* mock = inner.get();
  EXPECT_CALL(*mock, Resolve(_, _)).Times(0);
  auto registry = std::make_shared<MetricsRegistry>();
  WorkflowCacheLimits limits;
  limits.keep_deleted = std::chrono::milliseconds(200);
  auto cache = MakeCachingResolver(std::move(inner), limits, registry);
  cache->Remember(Info("a", "Succeeded"));
  cache->Remember(Info("b", "Running"));
  cache->Forget("a");
  EXPECT_EQ((*cache->Resolve(Ref("a", "Succeeded"), {}))->phase, "Succeeded");  // still there
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  ::testing::Mock::VerifyAndClearExpectations(mock);
  EXPECT_CALL(*mock, Resolve(_, _))
      .WillOnce(Return(Status::NotFound("workflows.argoproj.io \"wf-a\" not found")));
  EXPECT_FALSE(cache->Resolve(Ref("a", "Succeeded"), {}));  // gone: asked the server
  EXPECT_EQ((*cache->Resolve(Ref("b", "Running"), {}))->phase, "Running");
  EXPECT_THAT(registry->Render(), ::testing::HasSubstr("kfp_eventd_resolver_cache_entries 1\n"));
}

}  // namespace
}  // namespace kfpevents
