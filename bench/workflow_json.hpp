// A synthetic KFP-like Workflow of a chosen size, for the benchmarks.
#pragma once

#include <cstddef>
#include <string>

namespace kfpevents::bench {

// A KFP-like workflow grown to about `target_bytes`: each node carries inputs and outputs, as
// real ones do, which the summary skips.
inline std::string MakeWorkflowJson(std::size_t target_bytes) {
  std::string json =
      R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"name":"big-run-x1",)"
      R"("namespace":"kubeflow","uid":"u-1","resourceVersion":"99","labels":{"pipeline/runid":"r-1"},)"
      R"("annotations":{"pipelines.kubeflow.org/pipeline_spec":"{\"name\": \"big\"}"}},)"
      R"("spec":{"arguments":{"parameters":[{"name":"lr","value":"0.01"}]}},)"
      R"("status":{"phase":"Running","startedAt":"2026-11-23T07:00:00Z","nodes":{)";
  for (int i = 0; json.size() < target_bytes; ++i) {
    const std::string id = "big-run-x1-" + std::to_string(1000000 + i);
    json += (i > 0 ? "," : "") + std::string("\"") + id + R"(":{"id":")" + id +
            R"(","name":"big-run-x1.step-)" + std::to_string(i) + R"(","displayName":"step-)" +
            std::to_string(i) +
            R"(","type":"Pod","templateName":"step","phase":"Succeeded",)"
            R"("startedAt":"2026-11-23T07:00:01Z","finishedAt":"2026-11-23T07:00:09Z",)"
            R"("inputs":{"parameters":[{"name":"x","value":")" +
            std::string(200, 'i') + R"("}]},"outputs":{"parameters":[{"name":"y","value":")" +
            std::string(400, 'o') +
            R"("}],"artifacts":[{"name":"main-logs","s3":{"key":"artifacts/big/step/main.log"}}]},)"
            R"("children":["a","b"],"boundaryID":"big-run-x1"})";
  }
  return json + "}}}";
}

}  // namespace kfpevents::bench
