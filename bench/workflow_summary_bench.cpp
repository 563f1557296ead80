// Summarizing an Argo Workflow: the streaming SAX summary (what the resolver uses) against
// parsing a DOM and walking it, for workflows of 50 KB, 1 MB and 2 MB.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <string>

#include "argo/decoders.hpp"

namespace {

// A KFP-like workflow grown to about `target_bytes`: each node carries inputs and outputs, as
// real ones do, which the summary skips.
std::string MakeWorkflowJson(std::size_t target_bytes) {
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
            std::string(200, 'i') +
            R"("}]},"outputs":{"parameters":[{"name":"y","value":")" + std::string(400, 'o') +
            R"("}],"artifacts":[{"name":"main-logs","s3":{"key":"artifacts/big/step/main.log"}}]},)"
            R"("children":["a","b"],"boundaryID":"big-run-x1"})";
  }
  return json + "}}}";
}

void BM_SummarizeStreaming(benchmark::State& state) {
  const std::string json = MakeWorkflowJson(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto info = kfpevents::argo::SummarizeWorkflow(json);
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

void BM_SummarizeViaDom(benchmark::State& state) {
  const std::string json = MakeWorkflowJson(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    rapidjson::Document document;
    document.Parse(json.c_str(), json.size());
    auto info = kfpevents::argo::DecodeWorkflow(document);
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

BENCHMARK(BM_SummarizeStreaming)->Arg(50 << 10)->Arg(1 << 20)->Arg(2 << 20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SummarizeViaDom)->Arg(50 << 10)->Arg(1 << 20)->Arg(2 << 20)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
