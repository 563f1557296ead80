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

// A KFP 2.x run of about `target_bytes`, as the v2 compiler lays it out: spec.arguments holds the
// compiler's component and implementation texts, spec.templates its driver, executor and DAG
// templates with a root driver's runtime-config, and each task is four nodes (a driver, the
// task's DAG, a retry wrapper and its Pod), which carry inputs and outputs as real ones do.
inline std::string MakeKfpV2WorkflowJson(std::size_t target_bytes) {
  const std::string wf = "big-run-v2";
  std::string json =
      R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"name":")" + wf +
      R"(","generateName":"big-","namespace":"kubeflow","uid":"u-2","resourceVersion":"99",)"
      R"("labels":{"pipeline/runid":"r-2"}},"spec":{"entrypoint":"entrypoint","arguments":{)"
      R"("parameters":[)";
  for (int i = 0; i < 8; ++i) {  // the compiler's data: one pair per component
    json += (i > 0 ? "," : "") + std::string(R"({"name":"components-)") + std::to_string(i) +
            R"(","value":")" + std::string(1500, 'c') + R"("},{"name":"implementations-)" +
            std::to_string(i) + R"(","value":")" + std::string(2500, 'm') + R"("})";
  }
  json += R"(]},"templates":[{"name":"system-container-driver","container":{"image":"driver",)"
          R"("args":[")" +
          std::string(2000, 'a') +
          R"("]}},{"name":"system-container-executor","dag":{"tasks":[{"name":"executor",)"
          R"("template":"system-container-impl","arguments":{"parameters":[{"name":)"
          R"("pod-spec-patch","value":"{{inputs.parameters.pod-spec-patch}}"}]}}]}},)"
          R"({"name":"root","dag":{"tasks":[)";
  for (int i = 0; i < 20; ++i) {
    json += (i > 0 ? "," : "") + std::string(R"({"name":"t)") + std::to_string(i) +
            R"(-driver","template":"system-container-driver","arguments":{"parameters":[)"
            R"({"name":"component","value":"{{workflow.parameters.components-1}}"},)"
            R"({"name":"task","value":")" +
            std::string(600, 't') + R"("}]}})";
  }
  json += R"(]}},{"name":"entrypoint","dag":{"tasks":[{"name":"root-driver",)"
          R"("template":"system-dag-driver","arguments":{"parameters":[{"name":"component",)"
          R"("value":"{{workflow.parameters.components-root}}"},{"name":"runtime-config",)"
          R"("value":"{\"parameterValues\":{\"epochs\":10,\"dataset\":\"gs://d\"}}"}]}},)"
          R"({"name":"root","template":"root"}]}}]},)"
          R"("status":{"phase":"Succeeded","startedAt":"2026-11-23T07:00:00Z",)"
          R"("finishedAt":"2026-11-23T07:09:00Z","nodes":{)";
  static constexpr const char* kParts[][3] = {{"-driver", "Pod", "system-container-driver"},
                                              {"", "DAG", "system-container-executor"},
                                              {".executor", "Retry", "system-container-impl"},
                                              {".executor(0)", "Pod", "system-container-impl"}};
  for (std::size_t i = 0; json.size() < target_bytes; ++i) {
    const std::string task = "task-" + std::to_string(i / 4);
    const auto& [suffix, type, template_name] = kParts[i % 4];
    const std::string id = wf + "-" + std::to_string(1000000 + i);
    json += (i > 0 ? "," : "") + std::string("\"") + id + R"(":{"id":")" + id + R"(","name":")" +
            wf + ".root." + task + suffix + R"(","displayName":")" + task + suffix +
            R"(","type":")" + type + R"(","templateName":")" + template_name +
            R"(","phase":"Succeeded","startedAt":"2026-11-23T07:00:01Z",)"
            R"("finishedAt":"2026-11-23T07:00:09Z","inputs":{"parameters":[{"name":"x",)"
            R"("value":")" +
            std::string(200, 'i') + R"("}]},"outputs":{"parameters":[{"name":"y","value":")" +
            std::string(400, 'o') + R"("}]},"children":["a"],"boundaryID":")" + wf + R"("})";
  }
  return json + "}}}";
}

}  // namespace kfpevents::bench
