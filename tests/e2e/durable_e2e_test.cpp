// The daemon with --state-dir: killed (SIGKILL) at every kind of moment and restarted, stopped
// while the cluster moves on, re-driven through `kfp-eventd outbox`, and out of disk space.
// Whatever happens, every expected notification arrives, and a repeat keeps its webhook-id.
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "e2e/watch_fixture.hpp"
#include "support/silent_tcp_listener.hpp"
#include "support/wait_until.hpp"

namespace kfpevents {
namespace {

using testing::BackgroundProcess;
using testing::FakeKubeApi;
using ::testing::HasSubstr;
using testing::kBinary;
using ::testing::Not;
using testing::RecordedRequest;
using ::testing::SizeIs;
using testing::WatchScript;
using testing::WatchStep;

using std::chrono::seconds;

class DurableE2eTest : public testing::WatchE2eFixture {
 protected:
  std::string StateDir() const { return (dir_.path() / "state").string(); }

  std::vector<std::string> DaemonArgs(const std::string& kubeconfig) const {
    // --since last: some tests drop it.
    return {kBinary,
            "watch",
            "--kubeconfig",
            kubeconfig,
            "--subscriber",
            sink_.Url(),
            "--state-dir",
            StateDir(),
            "--retry-schedule",
            "200ms,200ms",
            "--metrics-address",
            "127.0.0.1:0",
            "--since",
            "48h"};
  }

  // The distinct bodies the sink got, each with the webhook-ids it came with.
  std::map<std::string, std::set<std::string>> IdsByBody() const {
    std::map<std::string, std::set<std::string>> ids;
    for (const RecordedRequest& request : sink_.Requests()) {
      ids[request.body].insert(request.Header("webhook-id"));
    }
    return ids;
  }

  bool WaitForDistinctBodies(std::size_t count, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (IdsByBody().size() < count) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  // Every expected body arrived at least once, and every repeat carried the same webhook-id.
  void ExpectAtLeastOnceWithStableIds(std::size_t expected_count) const {
    const auto ids = IdsByBody();
    EXPECT_THAT(ids, SizeIs(expected_count));
    for (std::size_t i = 0; i < expected_count; ++i) {
      const auto found = ids.find(runs_.expected_bodies[i]);
      ASSERT_NE(found, ids.end()) << "never delivered: " << runs_.expected_bodies[i];
      EXPECT_THAT(found->second, SizeIs(1)) << "a repeat under a new id: " << found->first;
    }
  }
};

// The daemon kills itself at the given failpoint (see lib/core/failpoint.hpp), then a second
// run must deliver what the first one did not.
class CrashE2eTest : public DurableE2eTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(CrashE2eTest, AfterASigkillARestartDeliversEverythingAndRepeatsOnlyWithTheSameId) {
  FakeKubeApi api;
  ServeWorkflows(api);
  // The 18 events are in the cluster when the daemon first starts; --since 48h takes them in.
  api.SetEvents(runs_.events, "500");
  const std::string kubeconfig = Kubeconfig(api.Url(), "    token: abc\n");

  {
    BackgroundProcess crashing(DaemonArgs(kubeconfig),
                               {std::string("KFP_EVENTD_FAILPOINT=") + GetParam()});
    const BackgroundProcess::ExitStatus status = crashing.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(status.exited) << crashing.Stderr();
    EXPECT_EQ(status.signal, SIGKILL) << crashing.Stderr();
  }
  const std::size_t before_restart = sink_.Requests().size();

  BackgroundProcess restarted(DaemonArgs(kubeconfig));
  // The first run may have delivered everything before it died: wait until the restart has
  // caught up with the cluster (its Event list), not only for the sink.
  EXPECT_TRUE(restarted.WaitForStderr("events at resourceVersion", std::chrono::seconds(30)))
      << restarted.Stderr();
  EXPECT_TRUE(WaitForDistinctBodies(18, std::chrono::seconds(30)))
      << "got " << IdsByBody().size() << " of 18\n"
      << restarted.Stderr();
  EXPECT_EQ(restarted.Stop(SIGTERM, seconds(10)), 0) << restarted.Stderr();
  ExpectAtLeastOnceWithStableIds(18);
  // The restart is no baseline: it took in the Events again and recognised what was done.
  EXPECT_THAT(restarted.Stderr(), Not(HasSubstr("(baseline)")));
  // At most what was in flight at the kill is repeated.
  EXPECT_LE(sink_.Requests().size(), 18u + before_restart);
}

INSTANTIATE_TEST_SUITE_P(EveryKindOfMoment, CrashE2eTest,
                         ::testing::Values("before-commit:1", "after-commit:1", "after-commit:3",
                                           "after-send:1", "after-send:7", "before-commit:4"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-' || c == ':') c = '_';
                           }
                           return name;
                         });

TEST_F(DurableE2eTest, ARestartResumesTheWatchAndNotifiesWhatHappenedWhileItWasDown) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript first;
  first.steps = Added(0, 6);
  api.AddWatch(first);
  const std::string kubeconfig = Kubeconfig(api.Url(), "    token: abc\n");
  std::vector<std::string> args = DaemonArgs(kubeconfig);
  args.erase(args.end() - 2, args.end());  // no --since: the first start is a baseline
  {
    BackgroundProcess daemon(args);
    ExpectDeliveriesThenCleanStop(daemon, 6);
  }
  const std::string checkpoint = testing::TextFieldOf(runs_.events[5], "resourceVersion");
  const std::size_t watches_before = api.Watches().size();
  const std::size_t lists_before = api.Lists().size();

  // While it was down, events 6..11 happened and the checkpoint aged out of the watch cache.
  std::vector<std::string> in_cluster(runs_.events.begin(), runs_.events.begin() + 12);
  for (std::size_t i = 6; i < 12; ++i) {
    in_cluster[i] =
        testing::WithField(in_cluster[i], "lastTimestamp",
                           "\"" + testing::Rfc3339(std::chrono::system_clock::now()) + "\"");
  }
  api.SetEvents(in_cluster, "900");
  api.ExpireResourceVersion(checkpoint);
  BackgroundProcess restarted(args);
  EXPECT_TRUE(sink_.WaitForRequests(12, std::chrono::seconds(30))) << restarted.Stderr();
  EXPECT_EQ(restarted.Stop(SIGTERM, seconds(10)), 0) << restarted.Stderr();

  EXPECT_THAT(Bodies(), ::testing::UnorderedElementsAreArray(Expected(0, 12)));
  // It watched from its checkpoint first, got 410, and relisted.
  const std::vector<RecordedRequest> watches = api.Watches();
  ASSERT_GT(watches.size(), watches_before);
  EXPECT_EQ(watches[watches_before].Param("resourceVersion"), checkpoint);
  EXPECT_GT(api.Lists().size(), lists_before);
  EXPECT_THAT(restarted.Stderr(), HasSubstr("resuming at resourceVersion " + checkpoint));
}

// state.db damaged while the daemon was down (unreadable, emptied to 0 bytes, or deleted): the
// daemon starts a new store from the last commit, so what happened while it was down is still
// notified, from the Event list alone (reconciliation off).
class DamagedStoreE2eTest : public DurableE2eTest,
                            public ::testing::WithParamInterface<const char*> {};

TEST_P(DamagedStoreE2eTest, NothingThatHappenedWhileItWasDownIsLost) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript first;
  first.steps = Added(0, 6);
  api.AddWatch(first);
  const std::string kubeconfig = Kubeconfig(api.Url(), "    token: abc\n");
  std::vector<std::string> args = DaemonArgs(kubeconfig);
  args.erase(args.end() - 2, args.end());  // no --since: the first start is a baseline
  args.push_back("--no-reconcile");
  {
    BackgroundProcess daemon(args);
    ExpectDeliveriesThenCleanStop(daemon, 6);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // later than the last commit
  const std::filesystem::path db = std::filesystem::path(StateDir()) / "state.db";
  const std::string damage = GetParam();
  if (damage == "unreadable") dir_.Write("state/state.db", std::string(8192, 'x'));
  if (damage == "empty") std::filesystem::resize_file(db, 0);
  if (damage == "missing") std::filesystem::remove(db);

  // While it was down, events 6..11 happened.
  std::vector<std::string> in_cluster(runs_.events.begin(), runs_.events.begin() + 12);
  for (std::size_t i = 6; i < 12; ++i) {
    in_cluster[i] =
        testing::WithField(in_cluster[i], "lastTimestamp",
                           "\"" + testing::Rfc3339(std::chrono::system_clock::now()) + "\"");
  }
  api.SetEvents(in_cluster, "900");
  BackgroundProcess restarted(args);
  EXPECT_TRUE(sink_.WaitForRequests(12, std::chrono::seconds(30))) << restarted.Stderr();
  EXPECT_EQ(restarted.Stop(SIGTERM, seconds(10)), 0) << restarted.Stderr();
  // All twelve, each once or repeated under its own id, and the damage reported.
  const auto ids = IdsByBody();
  for (const std::string& body : Expected(0, 12)) {
    ASSERT_EQ(ids.count(body), 1u) << "lost: " << body;
    EXPECT_THAT(ids.at(body), SizeIs(1));
  }
  EXPECT_THAT(restarted.Stderr(), HasSubstr("is unusable"));
  EXPECT_THAT(restarted.Stderr(), HasSubstr("a new one from its last commit"));
}

INSTANTIATE_TEST_SUITE_P(Damage, DamagedStoreE2eTest,
                         ::testing::Values("unreadable", "empty", "missing"));

TEST_F(DurableE2eTest, ASecondDaemonOnTheSameStateDirRefusesNamingTheFirst) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript first;
  first.steps = Added(0, 2);
  api.AddWatch(first);
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  args.push_back("--no-reconcile");  // the two watched events are all there is to deliver
  BackgroundProcess daemon(args);
  ASSERT_TRUE(sink_.WaitForRequests(2, std::chrono::seconds(30))) << daemon.Stderr();
  BackgroundProcess second(args);
  const BackgroundProcess::ExitStatus refused = second.WaitForExit(std::chrono::seconds(20));
  ASSERT_TRUE(refused.exited) << second.Stderr();
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(second.Stderr(), HasSubstr("is in use by another kfp-eventd (pid "));
  // `kfp-eventd outbox` still works beside the running daemon.
  const testing::ProcessResult listed =
      testing::RunProcess({kBinary, "outbox", "list", "--state-dir", StateDir()});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(10)), 0) << daemon.Stderr();
  EXPECT_EQ(sink_.Requests().size(), 2u);
}

TEST_F(DurableE2eTest, AStateDbDeletedWhileRunningStopsTheDaemonSayingSo) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript first;
  first.steps = Added(0, 2);
  api.AddWatch(first);
  BackgroundProcess daemon(DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n")));
  ASSERT_TRUE(sink_.WaitForRequests(2, std::chrono::seconds(30))) << daemon.Stderr();
  std::filesystem::remove(std::filesystem::path(StateDir()) / "state.db");
  const BackgroundProcess::ExitStatus stopped = daemon.WaitForExit(std::chrono::seconds(20));
  ASSERT_TRUE(stopped.exited) << daemon.Stderr();
  EXPECT_EQ(stopped.code, 1);
  EXPECT_THAT(daemon.Stderr(), HasSubstr("was deleted or replaced while kfp-eventd had it open"));
}

TEST_F(DurableE2eTest, DeadLettersAreListedRetriedAndDeliveredWhileTheDaemonRuns) {
  std::atomic<bool> healthy{false};
  testing::LoopbackHttpServer sink([&](std::size_t, const RecordedRequest&) {
    return healthy ? testing::ScriptedResponse{204, {}, ""}
                   : testing::ScriptedResponse{400, {}, "bad gateway config"};
  });
  FakeKubeApi api;
  ServeOneWatch(api, 0, 3);
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  args[5] = sink.Url();
  args.erase(args.end() - 2, args.end());  // no --since: only the watched events are news
  BackgroundProcess daemon(args);
  ASSERT_TRUE(sink.WaitForRequests(3, std::chrono::seconds(30))) << daemon.Stderr();
  ASSERT_TRUE(daemon.WaitForStderr("outbox retry --id 3", std::chrono::seconds(10)))
      << daemon.Stderr();

  const auto list =
      testing::RunProcess({kBinary, "outbox", "list", "--state-dir", StateDir(), "-o", "json"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 3) << list.out;
  EXPECT_THAT(list.out, HasSubstr("\"state\":\"dead\",\"attempts\":1"));
  EXPECT_THAT(list.out, HasSubstr("\"lastError\":\"HTTP 400: bad gateway config\""));

  const auto unsure = testing::RunProcess({kBinary, "outbox", "drop", "--state-dir", StateDir()});
  EXPECT_EQ(unsure.exit_code, 2);
  EXPECT_THAT(unsure.err, HasSubstr("say which messages: --id ID, --subscriber NAME, --dead or "
                                    "--all"));

  healthy = true;
  const auto retry =
      testing::RunProcess({kBinary, "outbox", "retry", "--state-dir", StateDir(), "--dead"});
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(retry.out, "queued for delivery now: 3 messages\n");
  EXPECT_TRUE(sink.WaitForRequests(6, std::chrono::seconds(20))) << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(10)), 0) << daemon.Stderr();

  std::vector<std::string> redelivered;
  for (std::size_t i = 3; i < sink.Requests().size(); ++i) {
    redelivered.push_back(sink.Requests()[i].body);
  }
  EXPECT_EQ(redelivered, Expected(0, 3));  // in their original order
  EXPECT_THAT(daemon.Stderr(), HasSubstr("subscriber subscriber-1: 3 delivered, 3 dead-lettered "
                                         "(last error: HTTP 400: bad gateway config)"));
  const auto empty = testing::RunProcess({kBinary, "outbox", "list", "--state-dir", StateDir()});
  EXPECT_EQ(std::count(empty.out.begin(), empty.out.end(), '\n'), 1) << empty.out;  // header
}

TEST_F(DurableE2eTest, AFullDiskStopsIntakeWithAClearErrorAndLosesNothingOnRestart) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  const std::string kubeconfig = Kubeconfig(api.Url(), "    token: abc\n");
  std::vector<std::string> args = DaemonArgs(kubeconfig);
  args.push_back("--no-reconcile");  // the Event path alone: a known amount of writing
  {
    BackgroundProcess creating(args);  // creates the store (about 40 KB)
    ASSERT_TRUE(creating.WaitForStderr("listed 0 events", std::chrono::seconds(30)));
    EXPECT_EQ(creating.Stop(SIGTERM, seconds(10)), 0) << creating.Stderr();
  }
  api.SetEvents(runs_.events, "500");
  // A file size limit makes the write-ahead log fail to grow (EFBIG), as a full disk would.
  std::string command = "trap '' XFSZ; ulimit -f 64; exec";
  for (const std::string& arg : args) command += " '" + arg + "'";
  {
    BackgroundProcess limited({"/bin/bash", "-c", command});
    const BackgroundProcess::ExitStatus status = limited.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(status.exited) << limited.Stderr();
    EXPECT_EQ(status.code, 1) << limited.Stderr();
    EXPECT_THAT(limited.Stderr(), HasSubstr("state store: running \"COMMIT\": disk I/O error"));
    EXPECT_THAT(limited.Stderr(), HasSubstr("; stopping intake"));
  }
  BackgroundProcess restarted(args);
  EXPECT_TRUE(restarted.WaitForStderr("events at resourceVersion", std::chrono::seconds(30)))
      << restarted.Stderr();
  EXPECT_TRUE(WaitForDistinctBodies(18, std::chrono::seconds(30))) << restarted.Stderr();
  EXPECT_EQ(restarted.Stop(SIGTERM, seconds(10)), 0) << restarted.Stderr();
  ExpectAtLeastOnceWithStableIds(18);
}

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

TEST_F(DurableE2eTest, TransitionsWhoseEventsNeverCameAreNotifiedFromWorkflowStatus) {
  FakeKubeApi api;
  api.SetEvents({}, "100");  // the controller's Events were rate-limited, expired or switched off
  WatchScript workflows;
  // The runs as if they began an hour from now, after any baseline.
  testing::Restamper run_later(std::chrono::system_clock::now() + std::chrono::hours(1));
  for (const auto& [name, json] : runs_.workflows) {
    const std::string later = run_later(json);
    api.SetWorkflow("kubeflow", name, later);
    workflows.steps.push_back(WatchStep::Event("ADDED", later, 64));
  }
  api.AddWorkflowWatch(workflows);
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  args.erase(args.end() - 2, args.end());  // a fresh start: what exists now is the baseline
  BackgroundProcess daemon(args);
  EXPECT_TRUE(sink_.WaitForRequests(18, std::chrono::seconds(30))) << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(10)), 0) << daemon.Stderr();
  EXPECT_THAT(Bodies(), ::testing::UnorderedElementsAreArray(runs_.expected_bodies));
  // Every summary came with the watch: no Workflow was fetched one by one.
  for (const RecordedRequest& request : api.Requests()) {
    EXPECT_THAT(request.path, Not(::testing::EndsWith("/workflows/tacos-vs-burritos-vw8g9")));
  }
}

// Run summaries (`level: run`) are keyed like every notification: one message per run, under one
// id, though both the Event and the Workflow status report each run's end and the daemon is
// killed right after its first delivery. For PagerDuty, the repeat also keeps its dedup_key, so
// it never pages twice.
class RunSummaryCrashE2eTest : public DurableE2eTest,
                               public ::testing::WithParamInterface<const char*> {};

TEST_P(RunSummaryCrashE2eTest, SentOncePerRunThroughACrashAndBothPaths) {
  const std::string format = GetParam();
  FakeKubeApi api;
  ServeWorkflows(api);                 // the status path sees both runs end
  api.SetEvents(runs_.events, "500");  // and so does the Event path
  const std::string config = dir_.Write(format + ".yaml", "subscribers:\n"
                                                          "  - name: chat\n"
                                                          "    url: " + sink_.Url() + "\n"
                                                          "    format: " + format + "\n"
                                                          "    fields: {routing_key: R0UTING}\n"
                                                          "    level: run\n");
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  const auto subscriber = std::find(args.begin(), args.end(), "--subscriber");
  *subscriber = "--config";
  *(subscriber + 1) = config;
  {
    BackgroundProcess crashing(args, {"KFP_EVENTD_FAILPOINT=after-send:1"});
    const BackgroundProcess::ExitStatus status = crashing.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(status.exited) << crashing.Stderr();
    EXPECT_EQ(status.signal, SIGKILL) << crashing.Stderr();
  }
  BackgroundProcess restarted(args);
  EXPECT_TRUE(restarted.WaitForStderr("events at resourceVersion", std::chrono::seconds(30)))
      << restarted.Stderr();
  EXPECT_TRUE(WaitForDistinctBodies(2, std::chrono::seconds(30))) << restarted.Stderr();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a third message would be on its way
  EXPECT_EQ(restarted.Stop(SIGTERM, seconds(10)), 0) << restarted.Stderr();
  const auto ids = IdsByBody();
  ASSERT_THAT(ids, SizeIs(2));
  std::set<std::string> all;
  for (const auto& [body, body_ids] : ids) {
    EXPECT_THAT(body_ids, SizeIs(1)) << "a repeat under a new id: " << body;
    all.insert(body_ids.begin(), body_ids.end());
    if (format == "slack") {
      EXPECT_THAT(body, ::testing::AnyOf(HasSubstr(":x:"), HasSubstr(":white_check_mark:")));
    }
  }
  EXPECT_THAT(all, SizeIs(2));
  EXPECT_LE(sink_.Requests().size(), 3u);  // at most the one in flight at the kill, again
  if (format == "pagerduty") {
    // A repeat is the same body (above), so the same dedup_key: PagerDuty drops it. The key
    // names the pipeline, so that a later success resolves what a failure triggered.
    for (const RecordedRequest& request : sink_.Requests()) {
      rapidjson::Document event;
      event.Parse(request.body.c_str());
      ASSERT_TRUE(event.IsObject() && event.HasMember("dedup_key")) << request.body;
      EXPECT_THAT(event["dedup_key"].GetString(), ::testing::StartsWith("kfp-eventd/kubeflow/"));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ChatAndPaging, RunSummaryCrashE2eTest,
                         ::testing::Values("slack", "pagerduty"));

// The same through relists: the Event watch and the Workflow watch both expire (410), so the
// daemon lists both again and sees every run's end a second time; still one message per run.
TEST_F(DurableE2eTest, RunSummariesAreSentOncePerRunThroughRelists) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents(runs_.events, "500");
  WatchScript expired;
  expired.steps = {WatchStep::Expired()};
  api.AddWatch(expired);
  api.AddWorkflowWatch(expired);
  const std::string config = dir_.Write("slack.yaml", "subscribers:\n"
                                                      "  - name: slack\n"
                                                      "    url: " + sink_.Url() + "\n"
                                                      "    format: slack\n"
                                                      "    level: run\n");
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  const auto subscriber = std::find(args.begin(), args.end(), "--subscriber");
  *subscriber = "--config";
  *(subscriber + 1) = config;
  BackgroundProcess daemon(args);
  EXPECT_TRUE(WaitForDistinctBodies(2, std::chrono::seconds(30))) << daemon.Stderr();
  EXPECT_TRUE(testing::WaitUntil([&] { return api.Lists().size() >= 2; }))
      << "the Event watch's 410 did not relist";
  EXPECT_TRUE(daemon.WaitForStderr("410", std::chrono::seconds(10))) << daemon.Stderr();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a repeat would be on its way
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(10)), 0) << daemon.Stderr();
  const auto ids = IdsByBody();
  ASSERT_THAT(ids, SizeIs(2));
  for (const auto& [body, body_ids] : ids) EXPECT_THAT(body_ids, SizeIs(1)) << body;
  EXPECT_EQ(sink_.Requests().size(), 2u);  // nothing crashed: nothing is sent twice
}

// A subscriber down while the transitions come: with room for three messages in memory, the rest
// wait in the store and come back a page at a time once it answers again. Each of the 18 is
// delivered once, in order (concurrency 1), under its id.
TEST_F(DurableE2eTest, ABacklogBeyondWhatMemoryHoldsIsDeliveredFromTheStoreInOrder) {
  std::atomic<int> answered{0};
  testing::LoopbackHttpServer flaky([&answered](std::size_t, const RecordedRequest&) {
    testing::ScriptedResponse response;
    response.status = ++answered <= 4 ? 503 : 204;  // down for its first four requests
    return response;
  });
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  *(std::find(args.begin(), args.end(), "--subscriber") + 1) = flaky.Url();
  *(std::find(args.begin(), args.end(), "--retry-schedule") + 1) = "300ms,300ms,300ms,300ms,300ms";
  args.insert(args.end(), {"--outbox-memory-rows", "3", "--no-reconcile"});
  BackgroundProcess daemon(args);
  ASSERT_TRUE(flaky.WaitForRequests(4 + 18, std::chrono::seconds(30))) << daemon.Stderr();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a repeat would be on its way
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(10)), 0) << daemon.Stderr();
  const std::vector<RecordedRequest> requests = flaky.Requests();
  ASSERT_THAT(requests, SizeIs(4 + 18));
  std::vector<std::string> accepted;
  for (std::size_t i = 4; i < requests.size(); ++i) accepted.push_back(requests[i].body);
  EXPECT_EQ(accepted, Expected(0, runs_.expected_bodies.size()));  // each once, in order
  for (std::size_t i = 0; i < 4; ++i) {  // the first message, tried while it was down
    EXPECT_EQ(requests[i].Header("webhook-id"), requests[4].Header("webhook-id"));
  }
}

// A backlog an earlier run left, its subscriber down: the next start reads three rows of each
// subscriber's backlog, not all of it, and pages in the rest as it delivers. Each of the 18 is
// delivered once, in order.
TEST_F(DurableE2eTest, ABacklogAnEarlierRunLeftIsReadBackAPageAtATime) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  args.insert(args.end(), {"--outbox-memory-rows", "3", "--no-reconcile"});
  std::vector<std::string> down = args;  // same subscriber name, nothing listening
  *(std::find(down.begin(), down.end(), "--subscriber") + 1) =
      "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/hook";
  std::string every_second = "1s";  // the first message's retries: due soon after the restart
  for (int i = 0; i < 29; ++i) every_second += ",1s";
  *(std::find(down.begin(), down.end(), "--retry-schedule") + 1) = every_second;
  const auto queued = [&] {
    const auto list =
        testing::RunProcess({kBinary, "outbox", "list", "--state-dir", StateDir(), "-o", "json"});
    return std::count(list.out.begin(), list.out.end(), '\n');
  };
  {
    BackgroundProcess first(down);
    ASSERT_TRUE(testing::WaitUntil([&] { return queued() == 18; }, std::chrono::seconds(30),
                                   std::chrono::milliseconds(200)))
        << first.Stderr();
    EXPECT_EQ(first.Stop(SIGTERM, seconds(10)), 0) << first.Stderr();
  }
  BackgroundProcess second(args);
  ASSERT_TRUE(sink_.WaitForRequests(18, std::chrono::seconds(30))) << second.Stderr();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a repeat would be on its way
  EXPECT_EQ(second.Stop(SIGTERM, seconds(10)), 0) << second.Stderr();
  EXPECT_THAT(second.Stderr(), HasSubstr("delivering 18 messages an earlier run left"));
  std::vector<std::string> bodies;
  for (const RecordedRequest& request : sink_.Requests()) bodies.push_back(request.body);
  EXPECT_EQ(bodies, Expected(0, runs_.expected_bodies.size()));  // each once, in order
  EXPECT_EQ(queued(), 0);
}

TEST_F(DurableE2eTest, WhenBothPathsSeeATransitionItIsNotifiedOnce) {
  FakeKubeApi api;
  ServeWorkflows(api);                 // listed at start: the status path sees all 18 transitions
  api.SetEvents(runs_.events, "500");  // and so does the Event path
  std::vector<std::string> args = DaemonArgs(Kubeconfig(api.Url(), "    token: abc\n"));
  args.insert(args.end(), {"--log-level", "debug"});
  BackgroundProcess daemon(args);
  EXPECT_TRUE(sink_.WaitForRequests(18, std::chrono::seconds(30))) << daemon.Stderr();
  // Each transition arrives twice, once per path; the second is recognised.
  testing::WaitUntil(
      [&] { return Occurrences(daemon.Stderr(), "was already notified; skipped") >= 18; });
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(10)), 0) << daemon.Stderr();
  EXPECT_THAT(Bodies(), ::testing::UnorderedElementsAreArray(runs_.expected_bodies));
  EXPECT_THAT(daemon.Stderr(), HasSubstr("stopped after 36 events (18 already notified)"));
}

}  // namespace
}  // namespace kfpevents
