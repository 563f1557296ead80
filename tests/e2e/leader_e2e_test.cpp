// Two kfp-eventd replicas with --leader-elect against one fake API server: one leads, the other
// stands by ready; when the leader is cut off from the API server it stops and exits before the
// standby takes over, which resumes the watch where the leader's handover says.
#include <httplib.h>

#include <map>
#include <set>
#include <future>
#include <regex>

#include "watch_fixture.hpp"

namespace kfpevents {
namespace {

using std::chrono::seconds;
using testing::BackgroundProcess;
using testing::FakeKubeApi;
using ::testing::HasSubstr;
using testing::WatchScript;
using testing::WatchStep;

class LeaderE2eTest : public testing::WatchE2eFixture {
 protected:
  // `reconcile`: Workflow status reconciliation on; `state`: a state dir of its own that
  // survives the replica's restarts.
  std::unique_ptr<BackgroundProcess> Replica(FakeKubeApi& api, const std::string& name,
                                             bool reconcile = false, bool state = false) {
    const std::string config =
        dir_.Write(name + ".yaml", "subscribers:\n  - name: sink\n    url: " + sink_.Url() +
                                       "\n    headers: {X-Replica: " + name + "}\n");
    return std::make_unique<BackgroundProcess>(std::vector<std::string>{
        testing::kBinary,
        "watch",
        "--kubeconfig",
        dir_.Write(name + ".kubeconfig",
                   testing::ReadText(Kubeconfig(api.Url(), "    token: token-" + name + "\n"))),
        "--config",
        config,
        "--leader-elect",
        "--leader-elect-identity",
        "pod-" + name,
        "--lease-duration",
        "2s",
        "--renew-deadline",
        "1s",
        "--retry-period",
        "200ms",
        reconcile ? "--reconcile" : "--no-reconcile",
        "--state-dir",
        state ? (dir_.path() / ("state-" + name)).string() : "",
        "--retry-schedule",
        "none",
        "--metrics-address",
        "127.0.0.1:0"});
  }
};

std::string ReadyzOf(const BackgroundProcess& replica) {
  const std::string port = testing::MetricsPort(replica);
  if (port.empty()) return "";
  httplib::Client client("127.0.0.1", std::stoi(port));
  const auto answer = client.Get("/readyz");
  return answer ? std::to_string(answer->status) + " " + answer->body : "";
}

TEST_F(LeaderE2eTest, TheLeaderStopsBeforeTheStandbyTakesOverWhereItLeftOff) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  std::promise<void> finish;
  std::shared_future<void> finished = finish.get_future().share();
  WatchScript leader_watch;
  leader_watch.steps = Added(0, 9);
  leader_watch.steps.push_back(WatchStep::Do([finished] { finished.wait(); }));
  api.AddWatch(leader_watch);
  WatchScript successor_watch;
  successor_watch.steps = Added(9, 18);
  api.AddWatch(successor_watch);

  auto a = Replica(api, "a");
  ASSERT_TRUE(sink_.WaitForRequests(9, seconds(30))) << a->Stderr();
  // Where a left off is what its renewals publish: wait for one after its last delivery (the
  // deliveries can all land within the first retry period).
  const std::string checkpoint = testing::TextFieldOf(runs_.events[8], "resourceVersion");
  for (int i = 0;
       i < 100 && api.Lease("kubeflow", "kfp-eventd").find(checkpoint) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_THAT(api.Lease("kubeflow", "kfp-eventd"), HasSubstr(checkpoint)) << a->Stderr();
  auto b = Replica(api, "b");
  ASSERT_TRUE(b->WaitForStderr("waiting to lead", seconds(20))) << b->Stderr();
  std::string ready;
  for (int i = 0; i < 100 && ready.find("standby") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ready = ReadyzOf(*b);
  }
  EXPECT_THAT(ready, HasSubstr("200 "));
  EXPECT_THAT(ready, HasSubstr("[+]leader-election standby; the leader is pod-a"));
  const std::size_t watches_before = api.Watches().size();

  api.SetLeasesUnavailable(true, "token-a");  // a can no longer renew
  const BackgroundProcess::ExitStatus a_exit = a->WaitForExit(std::chrono::seconds(10));
  EXPECT_TRUE(a_exit.exited);
  EXPECT_EQ(a_exit.code, 1) << a->Stderr();
  EXPECT_THAT(a->Stderr(), HasSubstr("lost the Lease: not renewed for 1000 ms"));
  EXPECT_THAT(a->Stderr(), HasSubstr("exiting so that Kubernetes restarts this replica"));

  ASSERT_TRUE(sink_.WaitForRequests(18, seconds(30))) << b->Stderr();
  EXPECT_THAT(b->Stderr(), HasSubstr("leading: acquired Lease kubeflow/kfp-eventd (previous "
                                     "holder pod-a)"));
  EXPECT_THAT(b->Stderr(), HasSubstr("taking over from pod-a: resuming its watches (kubeflow at " +
                                     checkpoint + ")"));
  const std::vector<testing::RecordedRequest> watches = api.Watches();
  ASSERT_GT(watches.size(), watches_before);
  EXPECT_EQ(watches[watches_before].Param("resourceVersion"), checkpoint);

  // Every delivery of a came before any of b, and together they are the run, once.
  std::vector<std::string> from_a, from_b;
  for (const testing::RecordedRequest& request : sink_.Requests()) {
    (request.Header("X-Replica") == "a" ? from_a : from_b).push_back(request.body);
    if (request.Header("X-Replica") == "a") EXPECT_TRUE(from_b.empty());
  }
  EXPECT_THAT(from_a, ::testing::ElementsAreArray(Expected(0, 9)));
  EXPECT_THAT(from_b, ::testing::ElementsAreArray(Expected(9, 18)));
  EXPECT_EQ(b->Stop(SIGTERM, seconds(5)), 0) << b->Stderr();
  EXPECT_THAT(b->Stderr(), HasSubstr("leader election: released the Lease"));
  finish.set_value();
}

// A graceful stop (SIGTERM) releases the Lease: it has no holder then, but the standby still
// takes over from the leader's final handover, not from its own stale start: nothing repeated,
// nothing skipped.
TEST_F(LeaderE2eTest, AfterAGracefulStopTheStandbyGoesOnFromTheLeadersHandover) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  std::promise<void> finish;
  std::shared_future<void> finished = finish.get_future().share();
  WatchScript leader_watch;
  leader_watch.steps = Added(0, 9);
  leader_watch.steps.push_back(WatchStep::Do([finished] { finished.wait(); }));
  api.AddWatch(leader_watch);
  WatchScript successor_watch;
  successor_watch.steps = Added(9, 18);
  api.AddWatch(successor_watch);

  auto a = Replica(api, "a");
  ASSERT_TRUE(sink_.WaitForRequests(9, seconds(30))) << a->Stderr();
  auto b = Replica(api, "b");
  ASSERT_TRUE(b->WaitForStderr("waiting to lead", seconds(20))) << b->Stderr();
  const std::string checkpoint = testing::TextFieldOf(runs_.events[8], "resourceVersion");
  const std::size_t watches_before = api.Watches().size();

  finish.set_value();  // let a's watch end, so that it can stop
  EXPECT_EQ(a->Stop(SIGTERM, seconds(10)), 0) << a->Stderr();
  EXPECT_THAT(a->Stderr(), HasSubstr("leader election: released the Lease"));
  ASSERT_TRUE(sink_.WaitForRequests(18, seconds(30))) << b->Stderr();
  EXPECT_THAT(b->Stderr(), HasSubstr("taking over from pod-a: resuming its watches (kubeflow at " +
                                     checkpoint + ")"));
  const std::vector<testing::RecordedRequest> watches = api.Watches();
  ASSERT_GT(watches.size(), watches_before);
  EXPECT_EQ(watches[watches_before].Param("resourceVersion"), checkpoint);
  std::vector<std::string> from_b;
  for (const testing::RecordedRequest& request : sink_.Requests()) {
    if (request.Header("X-Replica") == "b") from_b.push_back(request.body);
  }
  EXPECT_THAT(from_b, ::testing::ElementsAreArray(Expected(9, 18)));
  EXPECT_EQ(b->Stop(SIGTERM, seconds(5)), 0) << b->Stderr();
}

// Two failovers in a row, one by SIGKILL (the Lease expires) and one by SIGTERM (the Lease is
// given up), in both orders, with reconciliation on and off and a state dir per replica: every
// transition is delivered, and whatever is repeated carries the id it first had.
struct Failovers {
  bool kill_first;
  bool reconcile;
};

class FailoverE2eTest : public LeaderE2eTest, public ::testing::WithParamInterface<Failovers> {};

TEST_P(FailoverE2eTest, NothingIsLostAndRepeatsKeepTheirIds) {
  const Failovers order = GetParam();
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  std::promise<void> gate1, gate2;
  std::shared_future<void> open1 = gate1.get_future().share();
  std::shared_future<void> open2 = gate2.get_future().share();
  WatchScript first;
  first.steps = Added(0, 6);
  first.steps.push_back(WatchStep::Do([open1] { open1.wait(); }));
  api.AddWatch(first);
  WatchScript second;
  second.steps = Added(6, 12);
  second.steps.push_back(WatchStep::Do([open2] { open2.wait(); }));
  api.AddWatch(second);
  WatchScript third;
  third.steps = Added(12, 18);
  api.AddWatch(third);

  // Stops `leader` as this step of the order says; the Lease passes to the standby.
  const auto stop = [&](std::unique_ptr<BackgroundProcess>& leader, bool kill) {
    if (kill) {
      leader->Stop(SIGKILL, seconds(5));
    } else {
      EXPECT_EQ(leader->Stop(SIGTERM, seconds(10)), 0) << leader->Stderr();
      EXPECT_THAT(leader->Stderr(), HasSubstr("released the Lease"));
    }
  };
  auto a = Replica(api, "a", order.reconcile, /*state=*/true);
  ASSERT_TRUE(sink_.WaitForRequests(6, seconds(30))) << a->Stderr();
  auto b = Replica(api, "b", order.reconcile, true);
  ASSERT_TRUE(b->WaitForStderr("waiting to lead", seconds(20))) << b->Stderr();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a renews with its checkpoints
  gate1.set_value();
  stop(a, order.kill_first);
  ASSERT_TRUE(b->WaitForStderr("taking over from pod-a", seconds(30))) << b->Stderr();
  ASSERT_TRUE(sink_.WaitForRequests(12, seconds(30))) << b->Stderr();

  a = Replica(api, "a", order.reconcile, true);  // back, on its own state dir, as a standby
  ASSERT_TRUE(a->WaitForStderr("waiting to lead", seconds(20))) << a->Stderr();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  gate2.set_value();
  stop(b, !order.kill_first);
  ASSERT_TRUE(a->WaitForStderr("taking over from pod-b", seconds(30))) << a->Stderr();
  ASSERT_TRUE(sink_.WaitForRequests(18, seconds(30))) << a->Stderr();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // any repeat still on its way
  EXPECT_EQ(a->Stop(SIGTERM, seconds(10)), 0) << a->Stderr();

  std::map<std::string, std::set<std::string>> ids_by_body;
  std::size_t deliveries = 0;
  for (const testing::RecordedRequest& request : sink_.Requests()) {
    ids_by_body[request.body].insert(request.Header("webhook-id"));
    ++deliveries;
  }
  for (const std::string& body : Expected(0, 18)) {
    ASSERT_EQ(ids_by_body.count(body), 1u) << "lost: " << body;
    EXPECT_EQ(ids_by_body.at(body).size(), 1u) << "repeated under a new id: " << body;
  }
  EXPECT_EQ(ids_by_body.size(), 18u);
  // Repeats are what the last leader notified after its last renewal: a few, not the run.
  EXPECT_LE(deliveries, 18u + 6u) << deliveries - 18 << " repeats";
}

INSTANTIATE_TEST_SUITE_P(Orders, FailoverE2eTest,
                         ::testing::Values(Failovers{true, false}, Failovers{false, false},
                                           Failovers{true, true}, Failovers{false, true}),
                         [](const ::testing::TestParamInfo<Failovers>& info) {
                           return std::string(info.param.kill_first ? "KillThenTerm"
                                                                    : "TermThenKill") +
                                  (info.param.reconcile ? "Reconciling" : "EventsOnly");
                         });

}  // namespace
}  // namespace kfpevents
