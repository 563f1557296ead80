// kfp-fake-apiserver: the tests' fake Kubernetes API server as a program, playing a recording
// (examples/events/kfp-runs.jsonl by default) as a live cluster would: no Events at first, then
// each recorded Event arrives on the watch, and each Workflow can be fetched. It writes a
// kubeconfig that points at itself, so `kfp-eventd watch --kubeconfig FILE` runs against it with
// no cluster. The quick start uses it.
//
//   kfp-fake-apiserver RECORDING KUBECONFIG_OUT [--pace-ms N]
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "support/example_runs.hpp"
#include "support/fake_kube_api.hpp"

int main(int argc, char** argv) {
  using namespace kfpevents::testing;
  if (argc < 3) {
    std::cerr << "usage: kfp-fake-apiserver RECORDING KUBECONFIG_OUT [--pace-ms N]\n";
    return 2;
  }
  int pace_ms = 100;
  if (argc >= 5 && std::string(argv[3]) == "--pace-ms") pace_ms = std::atoi(argv[4]);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start

  const ExampleRuns runs = LoadExampleRuns(argv[1], "");
  FakeKubeApi api;
  api.RequireToken("kfp-fake-apiserver-token");
  api.SetEvents({}, "1");
  for (const auto& [name, json] : runs.workflows) {
    api.SetWorkflow(TextFieldOf(json, "namespace"), name, json);
  }
  WatchScript script;
  for (const std::string& event : runs.events) {
    script.steps.push_back(WatchStep::Do(
        [pace_ms] { std::this_thread::sleep_for(std::chrono::milliseconds(pace_ms)); }));
    script.steps.push_back(WatchStep::Event("ADDED", event));
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
