// What the end-to-end tests of the daemon share: the example runs, a kubeconfig for the fake
// API server, scripted watches of the examples, and a webhook sink.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/example_runs.hpp"
#include "support/fake_kube_api.hpp"
#include "support/loopback_http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents::testing {

inline const std::string kBinary = KFP_EVENTD_BINARY;

// "2026-11-23T07:00:00Z", as Kubernetes writes Event timestamps.
inline std::string Rfc3339(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The port the daemon serves /metrics on, from its log line "... /metrics on 127.0.0.1:PORT"
// (it was started with --metrics-address 127.0.0.1:0); "" when it did not say so in 20 s.
inline std::string MetricsPort(const BackgroundProcess& daemon) {
  if (!daemon.WaitForStderr("/metrics on ", std::chrono::seconds(20))) return "";
  std::smatch match;
  const std::string err = daemon.Stderr();
  return std::regex_search(err, match, std::regex(R"(/metrics on 127\.0\.0\.1:(\d+))"))
             ? match[1].str()
             : "";
}

// One GET of the daemon's own endpoints (/metrics, /readyz) on 127.0.0.1:`port`; status 0 when
// it did not answer.
struct Scrape {
  int status = 0;
  std::string content_type;
  std::string body;
};

inline Scrape Get(const std::string& port, const std::string& path) {
  httplib::Client client("127.0.0.1", std::stoi(port));
  client.set_read_timeout(5, 0);
  const httplib::Result result = client.Get(path.c_str());
  if (!result) return {};
  return {result->status, result->get_header_value("Content-Type"), result->body};
}

// The value of the one sample `series` (name and labels exactly as rendered), or -1.
inline double Sample(const std::string& metrics, const std::string& series) {
  const std::size_t at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + series.size() + 2));
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class WatchE2eFixture : public ::testing::Test {
 protected:
  WatchE2eFixture()
      : runs_(LoadExampleRuns(
            std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl",
            std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/kfp-runs.expected.jsonl",
            RecentStart())) {}

  // A kubeconfig for `api` whose user section is `user_yaml` (indented under `user:`).
  std::string Kubeconfig(const std::string& server, const std::string& user_yaml,
                         const std::string& cluster_extra = "") {
    return dir_.Write("kubeconfig",
                      "apiVersion: v1\n"
                      "kind: Config\n"
                      "current-context: test\n"
                      "contexts:\n"
                      "- name: test\n"
                      "  context: {cluster: fake, user: robot, namespace: kubeflow}\n"
                      "clusters:\n"
                      "- name: fake\n"
                      "  cluster:\n"
                      "    server: " +
                          server + "\n" + cluster_extra +
                          "users:\n"
                          "- name: robot\n"
                          "  user:\n" +
                          user_yaml);
  }

  void ServeWorkflows(FakeKubeApi& api) {
    for (const auto& [name, json] : runs_.workflows) api.SetWorkflow("kubeflow", name, json);
  }

  // Workflows served, no Events at start (list version "100"), then one watch of [from, to).
  void ServeOneWatch(FakeKubeApi& api, std::size_t from, std::size_t to) {
    ServeWorkflows(api);
    api.SetEvents({}, "100");
    WatchScript script;
    script.steps = Added(from, to);
    api.AddWatch(script);
  }

  // Steps sending events [from, to) as ADDED, every third one split into 7-byte chunks.
  std::vector<WatchStep> Added(std::size_t from, std::size_t to) const {
    std::vector<WatchStep> steps;
    for (std::size_t i = from; i < to; ++i) {
      steps.push_back(WatchStep::Event("ADDED", runs_.events[i], i % 3 == 0 ? 7 : 0));
    }
    return steps;
  }

  std::vector<std::string> Expected(std::size_t from, std::size_t to) const {
    return {runs_.expected_bodies.begin() + static_cast<long>(from),
            runs_.expected_bodies.begin() + static_cast<long>(to)};
  }

  std::vector<std::string> Bodies() const {
    std::vector<std::string> bodies;
    for (const RecordedRequest& request : sink_.Requests()) bodies.push_back(request.body);
    return bodies;
  }

  std::unique_ptr<BackgroundProcess> Start(const std::string& kubeconfig,
                                           std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kBinary,
                                     "watch",
                                     "--kubeconfig",
                                     kubeconfig,
                                     "--subscriber",
                                     sink_.Url(),
                                     "--retry-schedule",
                                     "none",
                                     "--metrics-address",
                                     "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<BackgroundProcess>(argv);
  }

  // Waits for `count` deliveries, then stops the daemon with SIGTERM, which must end it cleanly
  // within five seconds. Deliveries beyond `count` made by then show up in Bodies().
  void ExpectDeliveriesThenCleanStop(BackgroundProcess& daemon, std::size_t count) {
    EXPECT_TRUE(sink_.WaitForRequests(count, std::chrono::seconds(30)))
        << "got " << sink_.Requests().size() << " of " << count << "\n"
        << daemon.Stderr();
    EXPECT_EQ(daemon.Stop(SIGTERM, std::chrono::seconds(5)), 0) << daemon.Stderr();
  }

  ExampleRuns runs_;
  TempDir dir_;
  LoopbackHttpServer sink_;
};

}  // namespace kfpevents::testing
