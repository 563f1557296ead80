// Leader election against the fake API server's Leases.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "kfpevents/leader.hpp"
#include "kube/lease.hpp"
#include "support/fake_kube_api.hpp"
#include "support/manual_clock.hpp"
#include "support/wait_until.hpp"

namespace kfpevents {
namespace {

using std::chrono::milliseconds;
using testing::FakeKubeApi;
using ::testing::HasSubstr;

kube::LeaseRecord Stored(const FakeKubeApi& api) {
  return kube::DecodeLease(api.Lease("kubeflow", "kfp-eventd")).value();
}

class LeaderElectionTest : public ::testing::Test {
 protected:
  std::unique_ptr<LeaderElector> Elector(const std::string& identity,
                                         std::map<std::string, std::string> annotations = {}) {
    LeaderElectionOptions options;
    options.connection.server = api_.Url();
    options.lease_namespace = "kubeflow";
    options.identity = identity;
    options.lease_duration = milliseconds(2000);
    options.renew_deadline = milliseconds(1000);
    options.retry_period = milliseconds(100);
    if (!annotations.empty()) options.annotations = [annotations] { return annotations; };
    return MakeLeaderElector(std::move(options)).value();
  }

  // A Lease held by `holder`, renewed just now.
  void HeldBy(const std::string& holder, int transitions = 3, const std::string& handover = "") {
    kube::LeaseRecord record;
    record.holder = holder;
    record.duration_seconds = 2;
    record.acquire_time = record.renew_time = kube::MicroTime(std::chrono::system_clock::now());
    record.transitions = transitions;
    if (!handover.empty()) record.annotations[kHandoverAnnotation] = handover;
    api_.SetLease("kubeflow", "kfp-eventd", kube::EncodeLease(record, "kubeflow", "kfp-eventd"));
  }

  FakeKubeApi api_;
};

TEST_F(LeaderElectionTest, AcquiresByCreatingTheLeaseThenRenewsIt) {
  auto elector = Elector("pod-a", {{"kfp-eventd/checkpoints", "x"}});
  ASSERT_TRUE(elector->Acquire({}, [] { FAIL() << "lost"; }));
  const kube::LeaseRecord created = Stored(api_);
  EXPECT_EQ(created.holder, "pod-a");
  EXPECT_EQ(created.duration_seconds, 2);
  EXPECT_EQ(created.transitions, 0);
  EXPECT_EQ(created.annotations.at("kfp-eventd/checkpoints"), "x");
  EXPECT_EQ(elector->PreviousHolder(), "");
  std::this_thread::sleep_for(milliseconds(500));
  const kube::LeaseRecord renewed = Stored(api_);
  EXPECT_EQ(renewed.holder, "pod-a");
  EXPECT_EQ(renewed.acquire_time, created.acquire_time);
  EXPECT_NE(renewed.renew_time, created.renew_time);
  EXPECT_GT(std::stoll(renewed.resource_version), std::stoll(created.resource_version));
}

// Both create the missing Lease at once (one POST gets 409 AlreadyExists), then both update an
// expired one at once (one PUT gets 409 Conflict): each time exactly one leads.
TEST_F(LeaderElectionTest, OnlyOneOfTwoRacingReplicasLeadsOnCreateAndOnTakeOver) {
  for (const bool expired_lease : {false, true}) {
    if (expired_lease) HeldBy("pod-gone", 7);
    auto a = Elector("pod-a");
    auto b = Elector("pod-b");
    std::stop_source stop;
    auto race = [&stop](LeaderElector& elector) {
      return std::async(std::launch::async,
                        [&stop, &elector] { return elector.Acquire(stop.get_token(), [] {}); });
    };
    std::future<bool> a_leads = race(*a);
    std::future<bool> b_leads = race(*b);
    // One wins within the expiry (2 s) and a few retries; the other stands by after it.
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(4000);
    while (a_leads.wait_for(milliseconds(0)) != std::future_status::ready &&
           b_leads.wait_for(milliseconds(0)) != std::future_status::ready &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(20));
    }
    std::this_thread::sleep_for(milliseconds(500));
    stop.request_stop();  // the loser gives up waiting
    const bool a_led = a_leads.get();
    const bool b_led = b_leads.get();
    EXPECT_NE(a_led, b_led) << (expired_lease ? "take-over" : "create");
    const kube::LeaseRecord record = Stored(api_);
    EXPECT_EQ(record.holder, a_led ? "pod-a" : "pod-b");
    EXPECT_EQ(record.transitions, expired_lease ? 8 : 0);
    a.reset();  // releases, so the next round starts from a free Lease
    b.reset();
    api_.SetLease("kubeflow", "kfp-eventd", "{}");
  }
}

TEST_F(LeaderElectionTest, AStandbyTakesOverOnlyAfterTheLeaseExpiresAndInheritsTheHandover) {
  HeldBy("pod-gone", 3, R"({"at":"2026-11-23T07:00:00.000000Z","checkpoints":{"kubeflow":"42"}})");
  auto elector = Elector("pod-b");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(elector->Acquire({}, [] {}));
  // Expiry is measured from when this replica first saw the record: 2 s.
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(2000));
  const kube::LeaseRecord taken = Stored(api_);
  EXPECT_EQ(taken.holder, "pod-b");
  EXPECT_EQ(taken.transitions, 4);
  EXPECT_EQ(elector->PreviousHolder(), "pod-gone");
  const std::optional<Handover> handover =
      DecodeHandover(elector->InheritedAnnotations().at(kHandoverAnnotation));
  ASSERT_TRUE(handover);
  EXPECT_EQ(handover->checkpoints.at("kubeflow"), "42");
}

TEST_F(LeaderElectionTest, ALeaderThatSeesAnotherHolderStopsAtOnce) {
  auto elector = Elector("pod-a");
  std::promise<void> lost;
  ASSERT_TRUE(elector->Acquire({}, [&lost] { lost.set_value(); }));
  HeldBy("pod-intruder");  // another replica won a race (its write came first)
  EXPECT_EQ(lost.get_future().wait_for(milliseconds(1500)), std::future_status::ready);
}

TEST_F(LeaderElectionTest, ALeaderThatCannotRenewStopsBeforeItsLeaseCouldExpire) {
  auto elector = Elector("pod-a");
  std::promise<std::chrono::steady_clock::time_point> lost;
  ASSERT_TRUE(elector->Acquire({}, [&lost] { lost.set_value(std::chrono::steady_clock::now()); }));
  std::this_thread::sleep_for(milliseconds(300));
  const kube::LeaseRecord last = Stored(api_);
  // Every renewal from now fails; the last one that worked was at most this long ago.
  api_.SetLeasesUnavailable(true);
  const auto cut = std::chrono::steady_clock::now();
  std::future<std::chrono::steady_clock::time_point> when = lost.get_future();
  ASSERT_EQ(when.wait_for(milliseconds(3000)), std::future_status::ready);
  // A standby could take over 2 s after it last saw a renewal, so no later than cut + 2 s.
  EXPECT_LT(when.get() - cut, milliseconds(2000));
  EXPECT_EQ(Stored(api_).renew_time, last.renew_time);  // nothing written meanwhile
}

// The same on a manual clock: the renewals fail, and the leader gives up exactly when the renew
// deadline has passed on its clock, not a retry period earlier; no real time is slept through.
TEST_F(LeaderElectionTest, TheRenewDeadlineIsMeasuredOnTheElectorsClock) {
  auto clock = std::make_shared<testing::ManualClock>();
  LeaderElectionOptions options;
  options.connection.server = api_.Url();
  options.lease_namespace = "kubeflow";
  options.identity = "pod-a";
  options.lease_duration = milliseconds(20000);
  options.renew_deadline = milliseconds(10000);
  options.retry_period = milliseconds(2000);
  options.clock = clock;
  auto elector = MakeLeaderElector(std::move(options)).value();
  std::atomic<bool> lost = false;
  ASSERT_TRUE(elector->Acquire({}, [&lost] { lost = true; }));
  ASSERT_TRUE(clock->WaitForSleeps(1));  // the renewer waits a retry period
  clock->Advance(milliseconds(2000));
  ASSERT_TRUE(clock->WaitForSleeps(2));  // renewed, waiting again
  api_.SetLeasesUnavailable(true);
  // The renewals 2, 4, 6, 8 and 10 s after the last good one fail; the deadline (10 s) has
  // passed at the fifth.
  for (int failed = 1; failed <= 5; ++failed) {
    EXPECT_FALSE(lost) << "gave up early, after " << failed - 1 << " failed renewals";
    clock->Advance(milliseconds(2000));
    if (failed < 5) ASSERT_TRUE(clock->WaitForSleeps(2 + failed));
  }
  EXPECT_TRUE(testing::WaitUntil([&lost] { return lost.load(); }, std::chrono::seconds(10)));
}

TEST_F(LeaderElectionTest, ReleaseLetsAStandbyTakeOverAtOnce) {
  auto a = Elector("pod-a");
  ASSERT_TRUE(a->Acquire({}, [] {}));
  auto b = Elector("pod-b");
  std::future<bool> b_leads = std::async(std::launch::async, [&] { return b->Acquire({}, [] {}); });
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(b_leads.wait_for(milliseconds(0)), std::future_status::timeout);  // standing by
  const auto released = std::chrono::steady_clock::now();
  a->Release();
  ASSERT_TRUE(b_leads.get());
  EXPECT_LT(std::chrono::steady_clock::now() - released, milliseconds(1500));  // not 2 s
  EXPECT_EQ(Stored(api_).holder, "pod-b");
  EXPECT_EQ(b->PreviousHolder(), "");  // released: nobody held it
}

TEST(LeaderElectionOptionsTest, DurationsOutOfOrderAreRefused) {
  LeaderElectionOptions options;
  options.lease_namespace = "kubeflow";
  options.identity = "pod-a";
  options.renew_deadline = options.lease_duration;
  EXPECT_THAT(MakeLeaderElector(options).error().message(),
              HasSubstr("lease duration > renew deadline > retry period > 0"));
  options = {};
  options.identity = "pod-a";
  EXPECT_THAT(MakeLeaderElector(options).error().message(), HasSubstr("namespace"));
}

TEST(HandoverTest, RoundTrips) {
  Handover handover{std::chrono::system_clock::time_point(std::chrono::seconds(1795000000)),
                    {{"kubeflow", "48042"}, {"*", "7"}},
                    "pod-a"};
  const std::optional<Handover> back = DecodeHandover(EncodeHandover(handover));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at, handover.at);
  EXPECT_EQ(back->checkpoints, handover.checkpoints);
  EXPECT_EQ(back->holder, "pod-a");
  // Written before the holder was recorded: still read.
  EXPECT_TRUE(DecodeHandover(R"({"at":"2026-11-23T07:00:00.000000Z","checkpoints":{}})"));
  EXPECT_FALSE(DecodeHandover("{}"));
  EXPECT_FALSE(DecodeHandover("not json"));
}

}  // namespace
}  // namespace kfpevents
