// `type: nats` against a real nats-server with JetStream on loopback: every transition stored
// once under its Nats-Msg-Id, through a crash between publish and commit and through the server
// going away mid-run; a consumer reading the stream from its start sees each exactly once.
#include <set>

#include "e2e/watch_fixture.hpp"
#include "support/nats_server.hpp"
#include "support/wait_until.hpp"

namespace kfpevents {
namespace {

using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAreArray;
using testing::BackgroundProcess;
using testing::FakeKubeApi;
using testing::NatsServer;
using testing::StoredMessage;
using testing::WatchScript;
using testing::WatchStep;

class NatsE2eTest : public testing::WatchE2eFixture {
 protected:
  NatsE2eTest() : nats_((dir_.path() / "jetstream").string()) { nats_.AddStream("KFP", "kfp.>"); }

  std::vector<std::string> DaemonArgs(const std::string& kubeconfig) {
    const std::string config = dir_.Write("nats.yaml", "subscribers:\n"
                                                       "  - name: fleet\n"
                                                       "    type: nats\n"
                                                       "    url: " + nats_.Url() + "\n"
                                                       "    stream: KFP\n");
    return {testing::kBinary, "watch", "--kubeconfig", kubeconfig, "--config", config,
            "--state-dir", (dir_.path() / "state").string(), "--retry-schedule",
            "500ms,1s,1s,2s,2s,5s,5s,10s", "--metrics-address", "127.0.0.1:0", "--since", "48h"};
  }

  // Waits until the stream holds `count` messages (the server may be down meanwhile); its
  // messages then.
  std::vector<StoredMessage> WaitForStored(std::size_t count) {
    std::vector<StoredMessage> stored;
    testing::WaitUntil(
        [&] {
          try {
            stored = nats_.Messages("KFP");
          } catch (const std::runtime_error&) {  // down for now
          }
          return stored.size() >= count;
        },
        std::chrono::seconds(45), std::chrono::milliseconds(200));
    return stored;
  }

  // Exactly the 18 expected transitions, each once under its own id, on the default subject.
  void ExpectEachTransitionOnce(const std::vector<StoredMessage>& stored) {
    std::vector<std::string> bodies;
    std::set<std::string> ids;
    for (const StoredMessage& message : stored) {
      bodies.push_back(message.body);
      ids.insert(message.id);
      EXPECT_THAT(message.subject, StartsWith("kfp.kubeflow.")) << message.subject;
      EXPECT_THAT(message.id, StartsWith("msg_")) << message.id;
    }
    EXPECT_THAT(bodies, UnorderedElementsAreArray(Expected(0, runs_.expected_bodies.size())));
    EXPECT_THAT(ids, SizeIs(stored.size())) << "a transition stored twice";
  }

  NatsServer nats_;
};

TEST_F(NatsE2eTest, EveryTransitionIsStoredOnceUnderItsId) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  BackgroundProcess daemon(DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n")));
  const std::vector<StoredMessage> stored = WaitForStored(runs_.expected_bodies.size());
  EXPECT_EQ(daemon.Stop(SIGTERM, std::chrono::seconds(10)), 0) << daemon.Stderr();
  ExpectEachTransitionOnce(stored);
  // The subject names the pipeline and the reason: kfp.NAMESPACE.PIPELINE.REASON.
  std::set<std::string> reasons;
  for (const StoredMessage& message : stored) {
    reasons.insert(message.subject.substr(message.subject.rfind('.') + 1));
  }
  EXPECT_TRUE(reasons.count("WorkflowSucceeded") == 1 && reasons.count("WorkflowNodeFailed") == 1)
      << ::testing::PrintToString(reasons);
}

// Killed right after the first publish was acknowledged, before the outbox recorded it: the
// restarted daemon publishes it again, under the same Nats-Msg-Id, and the stream drops it.
TEST_F(NatsE2eTest, ACrashBetweenPublishAndCommitStoresNothingTwice) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  const std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  {
    BackgroundProcess crashing(args, {"KFP_EVENTD_FAILPOINT=after-send:1"});
    const BackgroundProcess::ExitStatus status = crashing.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(status.exited) << crashing.Stderr();
    EXPECT_EQ(status.signal, SIGKILL) << crashing.Stderr();
  }
  ASSERT_THAT(nats_.Messages("KFP"), SizeIs(1));
  WatchScript again;
  again.steps = Added(0, runs_.events.size());
  api.AddWatch(again);
  BackgroundProcess restarted(args);
  const std::vector<StoredMessage> stored = WaitForStored(runs_.expected_bodies.size());
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a repeat would be on its way
  EXPECT_EQ(restarted.Stop(SIGTERM, std::chrono::seconds(10)), 0) << restarted.Stderr();
  ExpectEachTransitionOnce(nats_.Messages("KFP"));
}

// The server is killed after six transitions and comes back six seconds later, longer than a
// publish waits for its acknowledgement: the publish in flight times out and stays in the outbox,
// its retry reaches the restarted server (as may the client's buffered first attempt), and each
// transition is stored once.
TEST_F(NatsE2eTest, TheServerGoneMidRunLosesAndRepeatsNothing) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript script;
  script.steps = Added(0, 6);
  script.steps.push_back(WatchStep::Do([&] {
    WaitForStored(6);  // the first six are in before the outage
    nats_.Kill();
  }));
  for (WatchStep& step : Added(6, runs_.events.size())) script.steps.push_back(std::move(step));
  script.steps.push_back(WatchStep::Do([&] {
    std::this_thread::sleep_for(std::chrono::seconds(6));
    nats_.Start();
  }));
  api.AddWatch(script);
  // Events only: with reconciliation the Workflows' status would report every run's end at once.
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  args.push_back("--no-reconcile");
  BackgroundProcess daemon(args);
  WaitForStored(runs_.expected_bodies.size());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(daemon.Stop(SIGTERM, std::chrono::seconds(10)), 0) << daemon.Stderr();
  ExpectEachTransitionOnce(nats_.Messages("KFP"));
  // The outage was retried, and said so.
  EXPECT_THAT(daemon.Stderr(), ::testing::HasSubstr("no acknowledgement within"));
}

}  // namespace
}  // namespace kfpevents
