// Writes a recording of many KFP runs in the format `kfp-eventd replay` and the fake API server
// read: for each run, WorkflowRunning, each node's Running and Succeeded, WorkflowSucceeded (as
// watch events, in order), then the run's Workflow object, sized from 50 KB to 2 MB as real
// ones are (one in 20 is 1 MB, one in 50 is 2 MB).
//
//   kfp-stream-generator RUNS NODES_PER_RUN [--workflows-only] > runs.jsonl
//
// --workflows-only writes the Workflow objects without their events: a cluster's standing
// Workflows for the daemon to list and cache.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "../workflow_json.hpp"

namespace {

std::string Event(int run, int sequence, const std::string& reason, const std::string& message,
                  const std::string& node) {
  const std::string workflow = "bench-run-" + std::to_string(run);
  std::string annotations;
  if (!node.empty()) {
    annotations = R"(,"annotations":{"workflows.argoproj.io/node-name":")" + workflow + "." + node +
                  R"(","workflows.argoproj.io/node-type":"Pod",)" +
                  R"("workflows.argoproj.io/node-id":")" + workflow + "-" + node + R"("})";
  }
  const std::string version = std::to_string(100000 + run * 1000 + sequence);
  return R"({"type":"ADDED","object":{"kind":"Event","apiVersion":"v1","metadata":{"name":")" +
         workflow + "." + std::to_string(sequence) + R"(","namespace":"kubeflow","uid":"ev-)" +
         std::to_string(run) + "-" + std::to_string(sequence) + R"(","resourceVersion":")" +
         version + R"(")" + annotations +
         R"(},"involvedObject":{"kind":"Workflow","namespace":"kubeflow","name":")" + workflow +
         R"(","uid":"wf-)" + std::to_string(run) +
         R"(","apiVersion":"argoproj.io/v1alpha1"},"reason":")" + reason + R"(","message":")" +
         message +
         R"(","source":{"component":"workflow-controller"},"firstTimestamp":"2026-11-23T07:00:00Z",)"
         R"("lastTimestamp":"2026-11-23T07:00:00Z","count":1,"type":"Normal"}})";
}

// The benchmark workflow generator's object with the run's nodes, renamed to this run.
std::string Workflow(int run, int nodes) {
  const std::size_t size = run % 50 == 49 ? (2u << 20) : run % 20 == 19 ? (1u << 20) : 50u << 10;
  std::string json = kfpevents::bench::MakeWorkflowJson(size, static_cast<std::size_t>(nodes));
  const std::string name = "bench-run-" + std::to_string(run);
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"big-run-x1", name},
        {"\"uid\":\"u-1\"", "\"uid\":\"wf-" + std::to_string(run) + "\""},
        {"\"pipeline/runid\":\"r-1\"", "\"pipeline/runid\":\"run-" + std::to_string(run) + "\""}}) {
    std::string renamed;  // rebuilt in one pass: replacing in place moves megabytes each time
    renamed.reserve(json.size() + json.size() / 8);
    std::size_t from_here = 0;
    for (std::size_t at = json.find(from); at != std::string::npos; at = json.find(from, at)) {
      renamed.append(json, from_here, at - from_here).append(to);
      at += from.size();
      from_here = at;
    }
    renamed.append(json, from_here, std::string::npos);
    json = std::move(renamed);
  }
  return json;
}

}  // namespace

int main(int argc, char** argv) {
  const bool workflows_only = argc == 4 && std::string(argv[3]) == "--workflows-only";
  if (argc != 3 && !workflows_only) {
    std::cerr << "usage: kfp-stream-generator RUNS NODES_PER_RUN [--workflows-only]\n";
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  const int nodes = std::atoi(argv[2]);
  std::ios::sync_with_stdio(false);
  for (int run = 0; run < runs; ++run) {
    if (workflows_only) {
      std::cout << Workflow(run, nodes) << '\n';
      continue;
    }
    int sequence = 0;
    std::cout << Event(run, sequence++, "WorkflowRunning", "Workflow Running", "") << '\n';
    for (int node = 0; node < nodes; ++node) {
      const std::string step = "step-" + std::to_string(node);
      const std::string full = "bench-run-" + std::to_string(run) + "." + step;
      std::cout << Event(run, sequence++, "WorkflowNodeRunning", "Running node " + full, step)
                << '\n';
      std::cout << Event(run, sequence++, "WorkflowNodeSucceeded", "Succeeded node " + full, step)
                << '\n';
    }
    std::cout << Event(run, sequence++, "WorkflowSucceeded", "Workflow completed", "") << '\n';
    std::cout << Workflow(run, nodes) << '\n';
  }
  return 0;
}
