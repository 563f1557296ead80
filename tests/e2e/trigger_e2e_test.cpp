// `type: kfp-run` in the daemon: a run that succeeds starts the next pipeline through the fake
// KFP API, once, through a crash at each point around the start.
#include "e2e/watch_fixture.hpp"
#include "support/fake_kfp_api.hpp"
#include "support/wait_until.hpp"

namespace kfpevents {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::BackgroundProcess;
using testing::FakeKfpApi;
using testing::FakeKubeApi;
using testing::RecordedRequest;

class TriggerE2eTest : public testing::WatchE2eFixture {
 protected:
  TriggerE2eTest() {
    kfp_.SpeakKfp2();
    kfp_.AddPipeline("evaluate");
    kfp_.DeclareParameters({{"source_run", "STRING"}, {"dataset", "STRING"}});
  }

  // tacos-vs-burritos succeeds, fraud-detector fails: only the first starts `evaluate`.
  std::vector<std::string> DaemonArgs(const std::string& kubeconfig) {
    const std::string config = dir_.Write("chain.yaml",
                                          "subscribers:\n"
                                          "  - name: evaluate-after-tacos\n"
                                          "    type: kfp-run\n"
                                          "    url: " + kfp_.Url() + "\n"
                                          "    events: [WorkflowSucceeded, WorkflowFailed]\n"
                                          "    level: run\n"
                                          "    run:\n"
                                          "      pipeline: evaluate\n"
                                          "      experiment: chained\n"
                                          "      parameters:\n"
                                          "        source_run: \"{{run_id}}\"\n"
                                          "        dataset: \"{{params.dataset}}\"\n"
                                          "    pipelines: [tacos-vs-burritos]\n");
    return {testing::kBinary, "watch", "--kubeconfig", kubeconfig, "--config", config,
            "--state-dir", (dir_.path() / "state").string(), "--retry-schedule", "200ms,1s",
            "--metrics-address", "127.0.0.1:0", "--since", "48h"};
  }

  std::size_t RunLists() const {
    std::size_t lists = 0;
    for (const RecordedRequest& request : kfp_.Requests()) {
      lists += request.method == "GET" && request.path == "/apis/v2beta1/runs";
    }
    return lists;
  }

  void ExpectOneEvaluateRun() const {
    const std::vector<std::string> runs = kfp_.Runs();
    ASSERT_EQ(runs.size(), 1u) << ::testing::PrintToString(runs);
    EXPECT_THAT(runs[0], StartsWith("evaluate after tacos-vs-burritos nightly@"));
    for (const RecordedRequest& request : kfp_.Requests()) {
      if (request.method != "POST" || request.path != "/apis/v2beta1/runs") continue;
      EXPECT_THAT(request.body,
                  HasSubstr(R"("source_run":"ee1c3f1f-031b-49e9-a7ff-2f7a54c11b95")"));
      EXPECT_THAT(request.body, HasSubstr(R"("dataset":"gs://food-bucket/orders.csv")"));
    }
  }

  FakeKfpApi kfp_;
};

TEST_F(TriggerE2eTest, ASucceededRunStartsTheNextPipelineOnce) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  BackgroundProcess daemon(DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n")));
  EXPECT_TRUE(testing::WaitUntil([&] { return !kfp_.Runs().empty(); })) << daemon.Stderr();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a second start would be on its way
  EXPECT_EQ(daemon.Stop(SIGTERM, std::chrono::seconds(10)), 0) << daemon.Stderr();
  ExpectOneEvaluateRun();
}

// Killed at each point around the start: before the trigger is committed to the outbox, after
// it is, and right after the run was started but before the outbox recorded that. The restarted
// daemon takes the Events in again and delivers the trigger; where the run was started, it finds
// it by the trigger in its description and adopts it. One run in every case.
class TriggerCrashE2eTest : public TriggerE2eTest,
                            public ::testing::WithParamInterface<const char*> {};

TEST_P(TriggerCrashE2eTest, StartsExactlyOneRun) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  const std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  {
    BackgroundProcess crashing(args, {std::string("KFP_EVENTD_FAILPOINT=") + GetParam()});
    const BackgroundProcess::ExitStatus status = crashing.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(status.exited) << crashing.Stderr();
    EXPECT_EQ(status.signal, SIGKILL) << crashing.Stderr();
  }
  EXPECT_LE(kfp_.Runs().size(), 1u);
  api.SetEvents(runs_.events, "500");  // what the cluster still holds
  const std::size_t lists_before = RunLists();
  BackgroundProcess restarted(args);
  // The trigger is delivered again: it looks for its run (a list of runs) and starts or adopts it.
  EXPECT_TRUE(testing::WaitUntil([&] { return RunLists() > lists_before && kfp_.Runs().size() == 1; }))
      << restarted.Stderr();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a second start would be on its way
  EXPECT_EQ(restarted.Stop(SIGTERM, std::chrono::seconds(10)), 0) << restarted.Stderr();
  ExpectOneEvaluateRun();
  const testing::ProcessResult outbox = testing::RunProcess(
      {testing::kBinary, "outbox", "list", "--state-dir", (dir_.path() / "state").string()});
  EXPECT_EQ(outbox.exit_code, 0) << outbox.err;
  EXPECT_THAT(outbox.out, ::testing::Not(HasSubstr("evaluate-after-tacos")))
      << "the trigger is still queued";
}

INSTANTIATE_TEST_SUITE_P(AroundTheStart, TriggerCrashE2eTest,
                         ::testing::Values("before-commit:1", "after-commit:1", "after-send:1"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-' || c == ':') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace kfpevents
