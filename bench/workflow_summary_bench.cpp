// Summarizing an Argo Workflow: the streaming SAX summary (what the resolver uses) against
// parsing a DOM and walking it, for workflows of 50 KB, 1 MB and 2 MB.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <string>

#include "argo/decoders.hpp"
#include "workflow_json.hpp"

namespace {

using kfpevents::bench::MakeWorkflowJson;

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

BENCHMARK(BM_SummarizeStreaming)
    ->Arg(50 << 10)
    ->Arg(1 << 20)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SummarizeViaDom)
    ->Arg(50 << 10)
    ->Arg(1 << 20)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
