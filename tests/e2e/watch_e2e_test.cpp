// The real kfp-eventd daemon against the fake Kubernetes API server: the example runs arrive as
// watch events through every scripted fault, and each must reach the sink exactly once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <thread>

#include "e2e/watch_fixture.hpp"
#include "support/example_runs.hpp"
#include "support/fake_kube_api.hpp"
#include "support/loopback_http_server.hpp"
#include "support/node_status.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"

namespace kfpevents {
namespace {

using ::testing::AllOf;
using testing::BackgroundProcess;
using ::testing::ElementsAreArray;
using testing::FakeKubeApi;
using ::testing::Ge;
using ::testing::HasSubstr;
using testing::kBinary;
using ::testing::Le;
using testing::LoopbackHttpServer;
using ::testing::Not;
using testing::ReadText;
using testing::RecordedRequest;
using ::testing::UnorderedElementsAreArray;
using testing::WatchE2eFixture;
using testing::WatchScript;
using testing::WatchStep;

using std::chrono::seconds;

class WatchE2eTest : public WatchE2eFixture {};

std::vector<std::string> Params(const std::vector<RecordedRequest>& requests,
                                const std::string& name) {
  std::vector<std::string> values;
  for (const RecordedRequest& request : requests) values.push_back(request.Param(name));
  return values;
}

TEST_F(WatchE2eTest, NotifiesEveryWatchedEventOnceWithTheKfpPayload) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "48000");
  WatchScript script;
  script.steps = Added(0, 9);
  script.steps.push_back(WatchStep::Bookmark("48500"));
  script.steps.push_back(WatchStep::Raw("this is not JSON\n"));
  std::vector<WatchStep> rest = Added(9, 18);
  script.steps.insert(script.steps.end(), rest.begin(), rest.end());
  script.steps.push_back(WatchStep::Bookmark("49999"));
  script.steps.push_back(WatchStep::End());
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));
  ASSERT_TRUE(api.WaitForWatches(2, seconds(30))) << daemon->Stderr();
  ExpectDeliveriesThenCleanStop(*daemon, 18);

  EXPECT_THAT(Bodies(), ElementsAreArray(runs_.expected_bodies));
  const std::vector<RecordedRequest> lists = api.Lists();
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].path, "/api/v1/namespaces/kubeflow/events");
  EXPECT_EQ(lists[0].Param("limit"), "500");
  EXPECT_EQ(lists[0].Param("fieldSelector"), "involvedObject.kind=Workflow");
  const std::vector<RecordedRequest> watches = api.Watches();
  EXPECT_EQ(watches[0].Param("resourceVersion"), "48000");  // from the list
  EXPECT_EQ(watches[1].Param("resourceVersion"), "49999");  // from the last bookmark
  for (const RecordedRequest& watch : watches) {
    EXPECT_EQ(watch.Param("allowWatchBookmarks"), "true");
    EXPECT_EQ(watch.Param("fieldSelector"), "involvedObject.kind=Workflow");
    EXPECT_THAT(std::stoi(watch.Param("timeoutSeconds")), AllOf(Ge(300), Le(600)));
    EXPECT_EQ(watch.Header("Authorization"), "Bearer abc");
  }
  EXPECT_THAT(daemon->Stderr(), HasSubstr("skipped a line that is not a watch event"));
  EXPECT_THAT(daemon->Stderr(), Not(HasSubstr("abc")));  // the token is never logged
  for (const RecordedRequest& delivery : sink_.Requests()) {
    EXPECT_THAT(delivery.Header("webhook-id"), ::testing::StartsWith("msg_"));
  }
}

TEST_F(WatchE2eTest, EventsThatExistedAtStartAreABaselineAndListsArePaginated) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({runs_.events.begin(), runs_.events.begin() + 6}, "48100");
  WatchScript script;
  script.steps = Added(6, 18);
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"), {"--page-size", "2"});
  ExpectDeliveriesThenCleanStop(*daemon, 12);

  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(6, 18)));
  EXPECT_THAT(Params(api.Lists(), "continue"), ElementsAreArray({"", "c2", "c4"}));
  EXPECT_THAT(Params(api.Lists(), "limit"), ElementsAreArray({"2", "2", "2"}));
  EXPECT_EQ(api.Watches().at(0).Param("resourceVersion"), "48100");
  EXPECT_THAT(daemon->Stderr(), HasSubstr("listed 6 events at resourceVersion 48100 (baseline)"));
}

TEST_F(WatchE2eTest, SinceNotifiesTheRecentPartOfTheBaseline) {
  FakeKubeApi api;
  ServeWorkflows(api);
  const auto now = std::chrono::system_clock::now();
  const auto stamp = [](std::chrono::system_clock::time_point at) {
    return "\"" + testing::Rfc3339(at) + "\"";
  };
  std::vector<std::string> existing;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto at = i < 2 ? now - std::chrono::hours(3) : now - std::chrono::minutes(10);
    existing.push_back(testing::WithField(runs_.events[i], "lastTimestamp", stamp(at)));
  }
  api.SetEvents(existing, "100");

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"), {"--since", "1h"});
  ExpectDeliveriesThenCleanStop(*daemon, 2);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(2, 4)));
}

TEST_F(WatchE2eTest, RelistsAfter410AndNeitherLosesNorRepeatsEvents) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  const std::string last_watched_version = "48061";
  WatchScript first;
  first.steps = Added(0, 8);
  first.steps.push_back(WatchStep::Bookmark(last_watched_version));
  // While the daemon was not looking, events 8..11 happened and its version was compacted.
  first.steps.push_back(WatchStep::Do([&] {
    api.SetEvents({runs_.events.begin(), runs_.events.begin() + 12}, "200");
    api.ExpireResourceVersion(last_watched_version);
  }));
  first.steps.push_back(WatchStep::Expired());
  api.AddWatch(first);
  WatchScript second;
  second.steps = Added(12, 18);
  api.AddWatch(second);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 18);

  EXPECT_THAT(Bodies(), UnorderedElementsAreArray(runs_.expected_bodies));
  // list, watch, relist at the last version (410), relist from scratch, watch from its version.
  EXPECT_THAT(Params(api.Lists(), "resourceVersion"),
              ElementsAreArray(std::vector<std::string>{"", last_watched_version, ""}));
  EXPECT_THAT(Params(api.Watches(), "resourceVersion"), ElementsAreArray({"100", "200"}));
}

TEST_F(WatchE2eTest, AnAggregatedRepeatOfTheSameTransitionIsNotifiedOnce) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  const std::string event = runs_.events[0];
  WatchScript script;
  script.steps = {
      WatchStep::Event("ADDED", event),
      // Kubernetes aggregated a repeat into the same Event: the transition is the same one.
      WatchStep::Event("MODIFIED", testing::WithField(event, "count", "2")),
      WatchStep::Event("MODIFIED", testing::WithField(event, "count", "2")),  // a repeated line
      WatchStep::Event("DELETED", testing::WithField(event, "count", "2")),
      WatchStep::Event("ADDED", runs_.events[1]),
  };
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 2);
  EXPECT_THAT(Bodies(), ElementsAreArray({runs_.expected_bodies[0], runs_.expected_bodies[1]}));
  // The repeated line never reached the pipeline; the aggregated repeat did and was recognised.
  EXPECT_THAT(daemon->Stderr(), HasSubstr("stopped after 3 events (1 already notified)"));
}

TEST_F(WatchE2eTest, ReWatchesWithBackoffAfterErrorsDisconnectsAndStalls) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  api.AddWatch({500, {}});
  WatchScript broken;
  broken.steps = Added(0, 3);
  broken.steps.push_back(WatchStep::Disconnect());
  api.AddWatch(broken);
  WatchScript stalled;
  stalled.steps = Added(3, 6);
  stalled.steps.push_back(WatchStep::Stall());
  api.AddWatch(stalled);
  WatchScript rest;
  rest.steps = Added(6, 18);
  api.AddWatch(rest);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"),
                      {"--watch-timeout", "1", "--log-level", "debug"});
  ExpectDeliveriesThenCleanStop(*daemon, 18);

  EXPECT_THAT(Bodies(), ElementsAreArray(runs_.expected_bodies));
  EXPECT_EQ(api.Lists().size(), 1u);  // errors re-watch; only 410 relists
  const std::vector<std::string> versions = Params(api.Watches(), "resourceVersion");
  ASSERT_GE(versions.size(), 4u);
  EXPECT_EQ(versions[0], "100");
  EXPECT_EQ(versions[1], "100");  // the 500 changed nothing
  EXPECT_NE(versions[2], "100");  // resumes after the last event it read
  EXPECT_NE(versions[3], versions[2]);
  const std::string log = daemon->Stderr();
  EXPECT_THAT(log, HasSubstr("watch refused: 500"));
  EXPECT_THAT(log, HasSubstr("watch broke off"));
  EXPECT_THAT(log, HasSubstr("the watch stalled"));
  EXPECT_THAT(log, HasSubstr("retrying in"));  // each failure waits out its backoff
}

// A watch that falls silent on a connection still open (no event, no bookmark) is noticed after
// --watch-stall-timeout, not when the server's timeoutSeconds would have ended it (minutes), and
// started again where it left off.
TEST_F(WatchE2eTest, ASilentWatchIsNoticedWithinTheStallTimeout) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript silent;
  silent.steps = Added(0, 3);
  silent.steps.push_back(WatchStep::Bookmark("150"));
  silent.steps.push_back(WatchStep::Stall());
  api.AddWatch(silent);
  WatchScript rest;
  rest.steps = Added(3, 6);
  api.AddWatch(rest);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"),
                      {"--watch-timeout", "600", "--watch-stall-timeout", "2"});
  ExpectDeliveriesThenCleanStop(*daemon, 6);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(0, 6)));
  const std::vector<std::string> versions = Params(api.Watches(), "resourceVersion");
  ASSERT_GE(versions.size(), 2u);
  EXPECT_EQ(versions[1], "150");  // from the bookmark, the last thing it read
  EXPECT_THAT(daemon->Stderr(), HasSubstr("the watch stalled (no byte for 2 s, not even a "
                                          "bookmark, on a connection still open)"));
}

TEST_F(WatchE2eTest, VerifiesTlsAgainstTheConfiguredCaAndSendsTheToken) {
  const testing::TestPki pki = testing::MakeTestPki(dir_);
  FakeKubeApi api({pki.server_cert, pki.server_key, ""});
  api.RequireToken("canary-token-7f3a");
  ServeOneWatch(api, 0, 18);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: canary-token-7f3a\n",
                                 "    certificate-authority: " + pki.ca_cert + "\n"),
                      {"--log-level", "debug"});
  ExpectDeliveriesThenCleanStop(*daemon, 18);
  EXPECT_THAT(Bodies(), ElementsAreArray(runs_.expected_bodies));
  EXPECT_THAT(daemon->Stderr(), Not(HasSubstr("canary-token-7f3a")));
}

TEST_F(WatchE2eTest, AuthenticatesWithAClientCertificate) {
  const testing::TestPki pki = testing::MakeTestPki(dir_);
  FakeKubeApi api({pki.server_cert, pki.server_key, pki.ca_cert});
  ServeOneWatch(api, 0, 2);

  auto daemon = Start(Kubeconfig(api.Url(),
                                 "    client-certificate: " + pki.client_cert + "\n" +
                                     "    client-key: " + pki.client_key + "\n",
                                 "    certificate-authority: " + pki.ca_cert + "\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 2);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(0, 2)));
}

TEST_F(WatchE2eTest, RefusesAServerItCannotVerify) {
  const testing::TestPki pki = testing::MakeTestPki(dir_);
  FakeKubeApi api({pki.server_cert, pki.server_key, ""});
  api.SetEvents({}, "100");

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));  // no certificate-authority
  EXPECT_TRUE(daemon->WaitForStderr("list failed", std::chrono::seconds(20))) << daemon->Stderr();
  EXPECT_THAT(daemon->Stderr(), HasSubstr("certificate"));
  EXPECT_EQ(daemon->Stop(SIGTERM, seconds(10)), 0);
  EXPECT_TRUE(api.Lists().empty());  // no request got through the handshake
}

TEST_F(WatchE2eTest, SkipsVerificationOnlyWhenTheKubeconfigSaysSo) {
  const testing::TestPki pki = testing::MakeTestPki(dir_);
  FakeKubeApi api({pki.server_cert, pki.server_key, ""});
  ServeOneWatch(api, 0, 2);

  auto daemon =
      Start(Kubeconfig(api.Url(), "    token: abc\n", "    insecure-skip-tls-verify: true\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 2);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(0, 2)));
}

TEST_F(WatchE2eTest, PicksUpARotatedTokenAfterA401) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  const std::string token_file = dir_.Write("token", "old-token\n");
  api.RequireToken("old-token");
  WatchScript first;
  first.steps = Added(0, 3);
  first.steps.push_back(WatchStep::Do([&] {
    // The kubelet writes the new bound token, and the old one stops working.
    dir_.Write("token", "new-token\n");
    api.RequireToken("new-token");
  }));
  first.steps.push_back(WatchStep::End());
  api.AddWatch(first);
  WatchScript second;
  second.steps = Added(3, 18);
  api.AddWatch(second);

  // Only the Event watch, so that its own request is the one that meets the 401.
  auto daemon =
      Start(Kubeconfig(api.Url(), "    tokenFile: " + token_file + "\n"), {"--no-reconcile"});
  ExpectDeliveriesThenCleanStop(*daemon, 18);
  EXPECT_THAT(Bodies(), ElementsAreArray(runs_.expected_bodies));
  const std::vector<RecordedRequest> watches = api.Watches();
  ASSERT_GE(watches.size(), 3u);
  EXPECT_EQ(watches[1].Header("Authorization"), "Bearer old-token");  // refused with 401
  EXPECT_EQ(watches[2].Header("Authorization"), "Bearer new-token");
  EXPECT_EQ(watches[2].Param("resourceVersion"), watches[1].Param("resourceVersion"));
}

// A kubeconfig `exec` user (kubelogin, aws eks get-token, gke-gcloud-auth-plugin): the plugin
// runs with its args and env and KUBERNETES_EXEC_INFO, its token is used until the server
// refuses it, and then the plugin runs again. Nothing it prints reaches the log.
TEST_F(WatchE2eTest, AnExecCredentialPluginGivesTheTokenAndRunsAgainAfterA401) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  dir_.Write("issued", "exec-T0KEN-1");
  api.RequireToken("exec-T0KEN-1");
  WatchScript first;
  first.steps = Added(0, 3);
  first.steps.push_back(WatchStep::Do([&] {
    dir_.Write("issued", "exec-T0KEN-2");  // the identity provider rotates it
    api.RequireToken("exec-T0KEN-2");
  }));
  first.steps.push_back(WatchStep::End());
  api.AddWatch(first);
  WatchScript second;
  second.steps = Added(3, 6);
  api.AddWatch(second);
  const std::string folder = dir_.path().string();
  dir_.Write("plugin.sh",
             "#!/bin/sh\n"
             "echo \"$KUBERNETES_EXEC_INFO $PLUGIN_MODE $1\" > '" + folder + "/exec-info'\n"
             "echo run >> '" + folder + "/runs'\n"
             "echo 'plugin chatter on stderr' >&2\n"
             "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
             "\"status\":{\"token\":\"%s\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}' "
             "\"$(cat '" + folder + "/issued')\"\n");
  std::filesystem::permissions(dir_.path() / "plugin.sh", std::filesystem::perms::owner_all);

  auto daemon = Start(Kubeconfig(api.Url(),
                                 "    exec:\n"
                                 "      apiVersion: client.authentication.k8s.io/v1\n"
                                 "      command: ./plugin.sh\n"
                                 "      args: [get-token]\n"
                                 "      env: [{name: PLUGIN_MODE, value: workloadidentity}]\n"
                                 "      interactiveMode: Never\n"
                                 "      provideClusterInfo: true\n"),
                      {"--no-reconcile"});
  ExpectDeliveriesThenCleanStop(*daemon, 6);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(0, 6)));
  const std::vector<RecordedRequest> watches = api.Watches();
  ASSERT_GE(watches.size(), 3u);
  EXPECT_EQ(watches.back().Header("Authorization"), "Bearer exec-T0KEN-2");
  const std::string info = testing::ReadText((dir_.path() / "exec-info").string());
  EXPECT_THAT(info, HasSubstr(R"("kind":"ExecCredential","spec":{"interactive":false,)"
                              R"("cluster":{"server":")" + api.Url() + "\""));
  EXPECT_THAT(info, HasSubstr(" workloadidentity get-token"));
  // Once to check the kubeconfig, once for the first requests, once after the 401.
  EXPECT_GE(testing::ReadLines((dir_.path() / "runs").string()).size(), 3u);
  EXPECT_THAT(daemon->Stderr(), Not(HasSubstr("exec-T0KEN")));
  EXPECT_THAT(daemon->Stderr(), Not(HasSubstr("plugin chatter")));
}

// A plugin that gives a client certificate and its key instead of a token (Teleport's `tsh kube
// credentials`): the daemon presents it to an API server that requires one.
TEST_F(WatchE2eTest, AnExecCredentialPluginsClientCertificateIsPresented) {
  const testing::TestPki pki = testing::MakeTestPki(dir_);
  FakeKubeApi api({pki.server_cert, pki.server_key, pki.ca_cert});
  ServeOneWatch(api, 0, 2);
  const std::string folder = dir_.path().string();
  dir_.Write(
      "plugin.sh",
      "#!/bin/sh\n"
      "pem() { awk '{printf \"%s\\\\n\", $0}' \"$1\"; }\n"
      "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
      "\"status\":{\"clientCertificateData\":\"%s\",\"clientKeyData\":\"%s\"}}' "
      "\"$(pem '" +
          pki.client_cert + "')\" \"$(pem '" + pki.client_key + "')\"\n");
  std::filesystem::permissions(dir_.path() / "plugin.sh", std::filesystem::perms::owner_all);

  auto daemon = Start(Kubeconfig(api.Url(),
                                 "    exec:\n"
                                 "      apiVersion: client.authentication.k8s.io/v1\n"
                                 "      command: ./plugin.sh\n"
                                 "      interactiveMode: Never\n",
                                 "    certificate-authority: " + pki.ca_cert + "\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 2);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(0, 2)));
  EXPECT_THAT(daemon->Stderr(), Not(HasSubstr("PRIVATE KEY")));
}

TEST_F(WatchE2eTest, AnExecPluginThatCannotGiveATokenIsAClearStartupError) {
  FakeKubeApi api;
  api.SetEvents({}, "100");
  auto missing = Start(Kubeconfig(api.Url(),
                                  "    exec:\n"
                                  "      apiVersion: client.authentication.k8s.io/v1\n"
                                  "      command: kubelogin-not-installed\n"
                                  "      installHint: install kubelogin from its releases\n"));
  const testing::BackgroundProcess::ExitStatus ended = missing->WaitForExit(seconds(20));
  ASSERT_TRUE(ended.exited);
  EXPECT_EQ(ended.code, 2);
  EXPECT_THAT(missing->Stderr(), HasSubstr("credential plugin kubelogin-not-installed cannot be "
                                           "run: No such file or directory (install kubelogin "
                                           "from its releases)"));
  auto interactive = Start(Kubeconfig(api.Url(),
                                      "    exec:\n"
                                      "      apiVersion: client.authentication.k8s.io/v1\n"
                                      "      command: kubelogin\n"
                                      "      interactiveMode: Always\n"));
  ASSERT_TRUE(interactive->WaitForExit(seconds(20)).exited);
  EXPECT_THAT(interactive->Stderr(), HasSubstr("interactiveMode Always needs a terminal"));
}

TEST_F(WatchE2eTest, AWorkflowThatIsGoneStillNotifiesWithAnEmptyRunId) {
  FakeKubeApi api;  // serves no workflows
  api.SetEvents({}, "100");
  WatchScript script;
  script.steps = Added(0, 1);
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 1);
  EXPECT_EQ(Bodies().at(0), testing::WithField(runs_.expected_bodies[0], "KfpRunId", "\"\""));
  EXPECT_THAT(daemon->Stderr(), HasSubstr("not resolved"));
  EXPECT_THAT(daemon->Stderr(), HasSubstr("404"));
}

TEST_F(WatchE2eTest, NodeEventsAboutPodsResolveThroughTheirAnnotations) {
  // A controller with nodeEvents.sendAsPod records node events about the Pod and names the
  // Workflow in annotations; a kubelet Event about the same Pod must not be notified.
  const std::string workflow_uid =
      testing::TextFieldOf(runs_.workflows.at("tacos-vs-burritos-vw8g9"), "uid");
  std::string pod_event = std::regex_replace(
      runs_.events[3], std::regex(R"("involvedObject":\{[^}]*\})"),
      R"("involvedObject":{"kind":"Pod","namespace":"kubeflow","name":"tacos-vs-burritos-vw8g9-3921840126","uid":"pod-1","apiVersion":"v1"})");
  pod_event = std::regex_replace(
      pod_event, std::regex(R"("annotations":\{)"),
      R"("annotations":{"workflows.argoproj.io/workflow-name":"tacos-vs-burritos-vw8g9","workflows.argoproj.io/workflow-uid":")" +
          workflow_uid + R"(",)");
  std::string kubelet_event = testing::WithField(pod_event, "component", "\"kubelet\"");
  kubelet_event = testing::WithField(kubelet_event, "uid", "\"kubelet-event-1\"");
  kubelet_event = testing::WithField(kubelet_event, "reason", "\"Pulled\"");

  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  WatchScript script;
  script.steps = {WatchStep::Event("ADDED", kubelet_event), WatchStep::Event("ADDED", pod_event)};
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"),
                      {"--field-selector", "source=workflow-controller"});
  ExpectDeliveriesThenCleanStop(*daemon, 1);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(3, 4)));
  EXPECT_EQ(api.Lists().at(0).Param("fieldSelector"), "source=workflow-controller");
  EXPECT_EQ(api.Watches().at(0).Param("fieldSelector"), "source=workflow-controller");
}

TEST_F(WatchE2eTest, ResolvesAMultiMegabyteWorkflow) {
  FakeKubeApi api;
  ServeWorkflows(api);
  // The first run's workflow, padded to about 4 MB with a big annotation, as big pipelines are.
  const std::string name = "tacos-vs-burritos-vw8g9";
  std::string big = runs_.workflows.at(name);
  const std::string marker = "\"metadata\":{";
  big.insert(big.find(marker) + marker.size(),
             "\"annotations\":{\"big\":\"" + std::string(4 * 1024 * 1024, 'x') + "\"},");
  api.SetWorkflow("kubeflow", name, big);
  api.SetEvents({}, "100");
  WatchScript script;
  script.steps = Added(0, 3);
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));
  ExpectDeliveriesThenCleanStop(*daemon, 3);
  EXPECT_THAT(Bodies(), ElementsAreArray(Expected(0, 3)));
}

TEST_F(WatchE2eTest, AnUnsupportedAuthMethodIsAClearStartupError) {
  const std::string kubeconfig = Kubeconfig(
      "https://127.0.0.1:1", "    auth-provider:\n      name: gcp\n");
  const testing::ProcessResult result =
      testing::RunProcess({kBinary, "--kubeconfig", kubeconfig, "--stdout"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("user \"robot\" authenticates with `auth-provider`, which "
                                    "Kubernetes removed"));
}

TEST_F(WatchE2eTest, RunsAsTheDefaultCommandWithFlagsOnly) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, 2);
  BackgroundProcess daemon({kBinary, "--kubeconfig", Kubeconfig(api.Url(), "    token: abc\n"),
                            "--namespace", "kubeflow", "--stdout", "--metrics-address",
                            "127.0.0.1:0"});
  EXPECT_TRUE(daemon.WaitForStderr("watching Workflow events in namespace kubeflow", seconds(20)))
      << daemon.Stderr();
  ASSERT_TRUE(api.WaitForWatches(1, seconds(20))) << daemon.Stderr();
  EXPECT_TRUE(daemon.WaitForStdoutLines(2, seconds(20))) << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(SIGINT, seconds(10)), 0);
  EXPECT_EQ(daemon.Stdout(), runs_.expected_bodies[0] + "\n" + runs_.expected_bodies[1] + "\n");
}

}  // namespace
}  // namespace kfpevents

namespace kfpevents {
namespace {

// Every Event the daemon took in, from either path (the watch and Workflow status).
double EventsReceived(const std::string& metrics_port) {
  const std::string metrics = testing::Get(metrics_port, "/metrics").body;
  const std::regex sample(R"(\nkfp_eventd_events_received_total\{reason="[A-Za-z]+"\} (\d+))");
  double received = 0;
  for (std::sregex_iterator it(metrics.begin(), metrics.end(), sample), end; it != end; ++it) {
    received += std::stod((*it)[1].str());
  }
  return received;
}

// KFP 2.x runs as their users see them, through the watch: the recorded Events (Kubernetes
// combined the later ones of each reason, then updated the combined Event in place) and the
// Workflows, which ran after the daemon started, so reconciliation reports every transition too.
// Each task's transitions reach the sink exactly once, the compiler's plumbing never. The
// example runs (loops, retries, a cached task, Argo 3.3's annotations) and a run of 20 tasks.
struct KfpV2Watch {
  const char* recording;  // and its expected payloads
  bool reconcile;
};

class KfpV2WatchE2eTest : public WatchE2eFixture,
                          public ::testing::WithParamInterface<KfpV2Watch> {};

TEST_P(KfpV2WatchE2eTest, EachTaskTransitionArrivesOnceWithItsTaskNameAndReason) {
  const bool reconcile = GetParam().reconcile;
  const std::string recording = GetParam().recording;
  const std::string path =
      recording == "kfp-v2-runs"
          ? std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl"
          : std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/" + recording + ".jsonl";
  const testing::ExampleRuns v2 = testing::LoadExampleRuns(
      path, std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/" + recording + ".expected.jsonl",
      std::chrono::system_clock::now() + std::chrono::minutes(5));
  ASSERT_GE(v2.expected_bodies.size(), 16u);
  FakeKubeApi api;
  for (const auto& [name, json] : v2.workflows) api.SetWorkflow("kubeflow", name, json);
  api.SetEvents({}, "100");
  WatchScript script;
  for (std::size_t i = 0; i < v2.events.size(); ++i) {
    script.steps.push_back(WatchStep::Event(v2.watch_types[i], v2.events[i], i % 3 == 0 ? 7 : 0));
  }
  api.AddWatch(script);

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"),
                      {reconcile ? "--reconcile" : "--no-reconcile"});
  const std::string port = testing::MetricsPort(*daemon);
  ASSERT_FALSE(port.empty()) << daemon->Stderr();
  ASSERT_TRUE(sink_.WaitForRequests(v2.expected_bodies.size(), seconds(30))) << daemon->Stderr();
  // Both paths have reported everything before the daemon stops, so a repeat would show.
  const double everything = static_cast<double>(v2.events.size()) * (reconcile ? 2 : 1);
  const auto deadline = std::chrono::steady_clock::now() + seconds(30);
  while (EventsReceived(port) < everything && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(EventsReceived(port), everything);
  EXPECT_EQ(daemon->Stop(SIGTERM, seconds(5)), 0) << daemon->Stderr();

  if (reconcile) {  // Workflow status may report a transition before its Event arrives
    EXPECT_THAT(Bodies(), UnorderedElementsAreArray(v2.expected_bodies));
  } else {
    EXPECT_THAT(Bodies(), ElementsAreArray(v2.expected_bodies));
  }
}

// Argo offloaded the runs' node status to its database: the Kubernetes API serves the Workflows
// without nodes, Argo Server with them. Through --argo-server every task is still named, and a
// failed task still says why.
TEST_F(WatchE2eTest, OffloadedNodeStatusIsResolvedThroughArgoServer) {
  const testing::ExampleRuns v2 = testing::LoadExampleRuns(
      std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl",
      std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/kfp-v2-runs.expected.jsonl",
      testing::RecentStart());
  FakeKubeApi api;
  for (const auto& [name, json] : v2.workflows) {
    api.SetWorkflow("kubeflow", name, testing::WithOffloadedNodes(json));
  }
  api.SetEvents({}, "100");
  WatchScript script;
  for (std::size_t i = 0; i < v2.events.size(); ++i) {
    script.steps.push_back(WatchStep::Event(v2.watch_types[i], v2.events[i]));
  }
  api.AddWatch(script);
  LoopbackHttpServer argo_server([&](std::size_t, const RecordedRequest& request) {
    const std::string prefix = "/api/v1/workflows/kubeflow/";
    const auto found = request.path.rfind(prefix, 0) == 0
                           ? v2.workflows.find(request.path.substr(prefix.size()))
                           : v2.workflows.end();
    if (found == v2.workflows.end()) return testing::ScriptedResponse{404, {}, "{}"};
    return testing::ScriptedResponse{200, {{"Content-Type", "application/json"}}, found->second};
  });
  const std::string token = dir_.Write("argo-token", "argo-s3cret\n");

  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"),
                      {"--argo-server", argo_server.Url(""), "--argo-token-file", token});
  ExpectDeliveriesThenCleanStop(*daemon, v2.expected_bodies.size());

  EXPECT_THAT(Bodies(), ElementsAreArray(v2.expected_bodies));
  ASSERT_FALSE(argo_server.Requests().empty());
  EXPECT_EQ(argo_server.Requests()[0].Header("Authorization"), "Bearer argo-s3cret");
}

INSTANTIATE_TEST_SUITE_P(RecordingsWithReconciliationOnAndOff, KfpV2WatchE2eTest,
                         ::testing::Values(KfpV2Watch{"kfp-v2-runs", false},
                                           KfpV2Watch{"kfp-v2-runs", true},
                                           KfpV2Watch{"kfp-v2-twenty-tasks", false},
                                           KfpV2Watch{"kfp-v2-twenty-tasks", true}),
                         [](const ::testing::TestParamInfo<KfpV2Watch>& info) {
                           const std::string name =
                               std::string(info.param.recording) == "kfp-v2-runs" ? "ExampleRuns"
                                                                                  : "TwentyTasks";
                           return name + (info.param.reconcile ? "Reconciling" : "EventsOnly");
                         });

}  // namespace
}  // namespace kfpevents
