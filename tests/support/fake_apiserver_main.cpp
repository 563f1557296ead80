// kfp-fake-apiserver: the tests' fake Kubernetes API server as a program, playing a recording
// (examples/events/kfp-runs.jsonl by default) as a live cluster would: no Events at first, then
// each recorded Event arrives on the watch, and each Workflow can be fetched. It writes a
// kubeconfig that points at itself, so `kfp-eventd watch --kubeconfig FILE` runs against it with
// no cluster. The quick start uses it, and so does the end-to-end benchmark.
//
//   kfp-fake-apiserver RECORDING KUBECONFIG_OUT [--pace-ms N | --rate EVENTS_PER_SECOND]
//
// --pace-ms waits N ms before each event (default 100); --rate sends on a fixed schedule from the
// watch's first event (event i at i / rate seconds), so a slow reader does not slow the rate.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "support/example_runs.hpp"
#include "support/fake_kube_api.hpp"

int main(int argc, char** argv) {
  using namespace kfpevents::testing;
  const std::string flag = argc >= 5 ? argv[3] : "";
  if (argc != 3 && !(argc == 5 && (flag == "--pace-ms" || flag == "--rate"))) {
    std::cerr << "usage: kfp-fake-apiserver RECORDING KUBECONFIG_OUT "
                 "[--pace-ms N | --rate EVENTS_PER_SECOND]\n";
    return 2;
  }
  const double value = argc == 5 ? std::atof(argv[4]) : 100;
  if (value < 0 || (flag == "--rate" && value <= 0)) {
    std::cerr << "kfp-fake-apiserver: " << flag << " must be positive\n";
    return 2;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start

  // As a live cluster would show them: the runs began a few minutes ago, whatever the date.
  const ExampleRuns runs = LoadExampleRuns(argv[1], "", RecentStart());
  FakeKubeApi api;
  api.RequireToken("kfp-fake-apiserver-token");
  api.SetEvents({}, "1");
  for (const auto& [name, json] : runs.workflows) {
    api.SetWorkflow(TextFieldOf(json, "namespace"), name, json);
  }
  WatchScript script;
  using Clock = std::chrono::steady_clock;
  auto first = std::make_shared<std::optional<Clock::time_point>>();
  for (std::size_t i = 0; i < runs.events.size(); ++i) {
    script.steps.push_back(WatchStep::Do([flag, value, first, i] {
      if (flag != "--rate") {
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(value));
        return;
      }
      if (!*first) *first = Clock::now();
      std::this_thread::sleep_until(**first + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(i / value)));
    }));
    script.steps.push_back(WatchStep::Event(runs.watch_types[i], runs.events[i]));
  }
  api.AddWatch(script);

  std::ofstream(argv[2]) << "apiVersion: v1\n"
                            "kind: Config\n"
                            "current-context: fake\n"
                            "contexts:\n"
                            "- name: fake\n"
                            "  context: {cluster: fake, user: fake, namespace: kubeflow}\n"
                            "clusters:\n"
                            "- name: fake\n"
                            "  cluster: {server: \""
                         << api.Url()
                         << "\"}\n"
                            "users:\n"
                            "- name: fake\n"
                            "  user: {token: kfp-fake-apiserver-token}\n";
  std::cout << "listening on " << api.Url() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}
