// A synthetic KFP-like Workflow of a chosen size, for the benchmarks: a finished run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

namespace kfpevents::bench {

// A KFP-like workflow grown to about `target_bytes`: each node carries inputs and outputs, as
// real ones do, which the summary skips. `nodes` = 0: as many nodes as the size takes (about
// 1 KB each); otherwise that many, their inputs and outputs grown to reach the size, as steps
// passing large parameters have.
inline std::string MakeWorkflowJson(std::size_t target_bytes, std::size_t nodes = 0) {
  std::string json =
      R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"name":"big-run-x1",)"
      R"("namespace":"kubeflow","uid":"u-1","resourceVersion":"99","labels":{"pipeline/runid":"r-1"},)"
      R"("annotations":{"pipelines.kubeflow.org/pipeline_spec":"{\"name\": \"big\"}"}},)"
      R"("spec":{"arguments":{"parameters":[{"name":"lr","value":"0.01"}]}},)"
      R"("status":{"phase":"Succeeded","startedAt":"2026-11-23T07:00:00Z",)"
      R"("finishedAt":"2026-11-23T07:09:00Z","nodes":{)";
  // The bytes of a node's input and output values: 600, or what spreading the size over `nodes`
  // leaves once each node's other 450 or so bytes are counted.
  constexpr std::size_t kNodeWithoutValues = 450;
  std::size_t values = 600;
  if (nodes > 0 && target_bytes > json.size()) {
    const std::size_t per_node = (target_bytes - json.size()) / nodes;
    if (per_node > kNodeWithoutValues) values = std::max(values, per_node - kNodeWithoutValues);
  }
  for (std::size_t i = 0; nodes == 0 ? json.size() < target_bytes : i < nodes; ++i) {
    const std::string id = "big-run-x1-" + std::to_string(1000000 + i);
    json += (i > 0 ? "," : "") + std::string("\"") + id + R"(":{"id":")" + id +
            R"(","name":"big-run-x1.step-)" + std::to_string(i) + R"(","displayName":"step-)" +
            std::to_string(i) +
            R"(","type":"Pod","templateName":"step","phase":"Succeeded",)"
            R"("startedAt":"2026-11-23T07:00:01Z","finishedAt":"2026-11-23T07:00:09Z",)"
            R"("inputs":{"parameters":[{"name":"x","value":")" +
            std::string(values / 3, 'i') +
            R"("}]},"outputs":{"parameters":[{"name":"y","value":")" +
            std::string(values - values / 3, 'o') +
            R"("}],"artifacts":[{"name":"main-logs","s3":{"key":"artifacts/big/step/main.log"}}]},)"
            R"("children":["a","b"],"boundaryID":"big-run-x1"})";
  }
  return json + "}}}";
}

}  // namespace kfpevents::bench
