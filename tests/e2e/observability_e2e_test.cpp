// The daemon's /healthz, /readyz and /metrics, and what its logs and metrics never show: secrets.
// /metrics is checked with promtool, Prometheus' own parser and linter of the text format.
#include <httplib.h>

#include <regex>

#include "watch_fixture.hpp"

namespace kfpevents {
namespace {

using std::chrono::seconds;
using testing::BackgroundProcess;
using testing::FakeKubeApi;
using testing::Get;
using ::testing::HasSubstr;
using testing::kBinary;
using ::testing::Not;
using testing::Sample;
using testing::Scrape;

class ObservabilityE2eTest : public testing::WatchE2eFixture {};

TEST_F(ObservabilityE2eTest, MetricsAreValidPrometheusTextAndCountTheRun) {
  FakeKubeApi api;
  ServeOneWatch(api, 0, runs_.events.size());
  auto daemon = Start(Kubeconfig(api.Url(), "    token: abc\n"));
  const std::string port = testing::MetricsPort(*daemon);
  ASSERT_FALSE(port.empty()) << daemon->Stderr();
  ASSERT_TRUE(sink_.WaitForRequests(18, seconds(30))) << daemon->Stderr();

  // The engine records the last delivery's outcome right after the sink answered it.
  Scrape metrics;
  for (int i = 0; i < 100; ++i) {
    metrics = Get(port, "/metrics");
    if (Sample(metrics.body, "kfp_eventd_outbox_depth{subscriber=\"subscriber-1\"}") == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const testing::ProcessResult lint =
      testing::RunProcess({PROMTOOL, "check", "metrics"}, metrics.body);
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err << metrics.body;

  const std::string& m = metrics.body;
  EXPECT_EQ(Sample(m, "kfp_eventd_notifications_total"), 18) << m;
  // Events and the Workflows' status both report transitions; each is notified once.
  double received = 0;
  const std::regex sample(R"(\nkfp_eventd_events_received_total\{reason="[A-Za-z]+"\} (\d+))");
  for (auto it = std::sregex_iterator(m.begin(), m.end(), sample); it != std::sregex_iterator();
       ++it) {
    received += std::stod((*it)[1].str());
  }
  EXPECT_EQ(received, 18 + Sample(m, "kfp_eventd_events_already_notified_total")) << m;
  EXPECT_GE(Sample(m, "kfp_eventd_events_received_total{reason=\"WorkflowFailed\"}"), 1) << m;
  EXPECT_EQ(Sample(m,
                   "kfp_eventd_delivery_attempts_total{subscriber=\"subscriber-1\","
                   "outcome=\"delivered\"}"),
            18)
      << m;
  EXPECT_EQ(Sample(m, "kfp_eventd_delivery_latency_seconds_count{subscriber=\"subscriber-1\"}"), 18)
      << m;
  EXPECT_EQ(Sample(m,
                   "kfp_eventd_delivery_latency_seconds_bucket{subscriber=\"subscriber-1\","
                   "le=\"+Inf\"}"),
            18)
      << m;
  EXPECT_EQ(Sample(m, "kfp_eventd_dead_letters_total{subscriber=\"subscriber-1\"}"), 0) << m;
  EXPECT_EQ(Sample(m, "kfp_eventd_outbox_depth{subscriber=\"subscriber-1\"}"), 0) << m;
  EXPECT_EQ(Sample(m, "kfp_eventd_watch_lists_total{resource=\"events\"}"), 1) << m;
  EXPECT_EQ(Sample(m, "kfp_eventd_watch_relists_total{resource=\"events\"}"), 0) << m;
  EXPECT_GE(Sample(m, "kfp_eventd_watch_lists_total{resource=\"workflows\"}"), 1) << m;
  // Every event's workflow was found, in the cache (warmed by the Workflow watch) or by a GET.
  EXPECT_GE(Sample(m, "kfp_eventd_resolver_cache_hits_total") +
                Sample(m, "kfp_eventd_resolver_cache_misses_total"),
            18)
      << m;
  EXPECT_THAT(m, HasSubstr("kfp_eventd_build_info{version=\""));

  const Scrape ready = Get(port, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_THAT(ready.body, HasSubstr("[+]state-store in memory"));
  EXPECT_THAT(ready.body, HasSubstr("[+]watch kubeflow ok"));
  EXPECT_THAT(ready.body, HasSubstr("[+]workflows kubeflow ok"));
  EXPECT_EQ(Get(port, "/healthz").status, 200);
  EXPECT_EQ(Get(port, "/nothing").status, 404);
  EXPECT_EQ(daemon->Stop(SIGTERM, seconds(5)), 0) << daemon->Stderr();
}

TEST_F(ObservabilityE2eTest, NotReadyWhileTheApiServerIsUnreachableButAlive) {
  auto daemon = Start(Kubeconfig("http://127.0.0.1:1", "    token: abc\n"));
  const std::string port = testing::MetricsPort(*daemon);
  ASSERT_FALSE(port.empty()) << daemon->Stderr();
  Scrape ready;
  for (int i = 0; i < 100 && ready.body.find("list failed") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ready = Get(port, "/readyz");
  }
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_THAT(ready.body, HasSubstr("[-]watch kubeflow failed: list failed:"));
  EXPECT_THAT(ready.body, HasSubstr("readyz check failed"));
  EXPECT_EQ(Get(port, "/healthz").status, 200);
  EXPECT_GE(
      Sample(Get(port, "/metrics").body, "kfp_eventd_watch_errors_total{resource=\"events\"}"), 1);
  EXPECT_EQ(daemon->Stop(SIGTERM, seconds(5)), 0) << daemon->Stderr();
}

TEST_F(ObservabilityE2eTest, ATakenAddressIsAClearStartupError) {
  const testing::LoopbackHttpServer taken;
  FakeKubeApi api;
  const testing::ProcessResult result = testing::RunProcess(
      {kBinary, "watch", "--kubeconfig", Kubeconfig(api.Url(), "    token: abc\n"), "--subscriber",
       sink_.Url(), "--metrics-address", "127.0.0.1:" + std::to_string(taken.port())},
      "", seconds(20));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--metrics-address: cannot listen on 127.0.0.1:" +
                                    std::to_string(taken.port()) + ": Address already in use"));
}

TEST_F(ObservabilityE2eTest, NoSecretAppearsInLogsMetricsOrReadiness) {
  // Every delivery fails once, so retries and their log lines happen too.
  testing::LoopbackHttpServer flaky([](std::size_t index, const testing::RecordedRequest&) {
    return testing::ScriptedResponse{index % 2 == 0 ? 503 : 204, {}, ""};
  });
  FakeKubeApi api;
  ServeOneWatch(api, 0, 6);
  const std::string config =
      dir_.Write("kfp-eventd.yaml",
                 "subscribers:\n"
                 "  - name: signed\n"
                 "    url: " +
                     flaky.Url() +
                     "\n"
                     "    secret: whsec_Y2FuYXJ5LXNpZ25pbmctc2VjcmV0LTEyMzQ1Njc4OTA=\n"
                     "    headers:\n"
                     "      Authorization: Bearer canary-header-secret\n");
  BackgroundProcess daemon({kBinary, "watch", "--kubeconfig",
                            Kubeconfig(api.Url(), "    token: canary-kube-token\n"), "--config",
                            config, "--retry-schedule", "100ms", "--log-level", "debug",
                            "--metrics-address", "127.0.0.1:0"});
  const std::string port = testing::MetricsPort(daemon);
  ASSERT_FALSE(port.empty()) << daemon.Stderr();
  ASSERT_TRUE(flaky.WaitForRequests(12, seconds(30))) << daemon.Stderr();
  const std::string seen = Get(port, "/metrics").body + Get(port, "/readyz").body;
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(5)), 0) << daemon.Stderr();
  const std::string everything = daemon.Stderr() + daemon.Stdout() + seen;
  EXPECT_THAT(everything, HasSubstr("retry 1 of 1"));  // the failures were logged
  for (const char* secret : {"canary-kube-token", "canary-header-secret",
                             "Y2FuYXJ5LXNpZ25pbmctc2VjcmV0LTEyMzQ1Njc4OTA", "canary-signing"}) {
    EXPECT_THAT(everything, Not(HasSubstr(secret)));
  }
}

}  // namespace
}  // namespace kfpevents
