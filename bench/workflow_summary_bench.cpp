// Summarizing an Argo Workflow at 50 KB, 1 MB and 2 MB: the on-demand summary the resolver uses
// (simdjson), beside what RapidJSON costs before any summary is made: its SAX tokenizer with a
// handler that does nothing (the floor of a RapidJSON streaming summary, the previous
// implementation) and its DOM parse alone.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <string>

#include "argo/decoders.hpp"
#include "workflow_json.hpp"

namespace {

using kfpevents::bench::MakeWorkflowJson;

void BM_SummarizeOnDemand(benchmark::State& state) {
  const std::string json = MakeWorkflowJson(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto info = kfpevents::argo::SummarizeWorkflow(json);
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

void BM_RapidJsonSaxTokenizeOnly(benchmark::State& state) {
  const std::string json = MakeWorkflowJson(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    rapidjson::MemoryStream stream(json.data(), json.size());
    rapidjson::BaseReaderHandler<> nothing;
    rapidjson::Reader reader;
    auto parsed = reader.Parse(stream, nothing);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

void BM_RapidJsonDomParseOnly(benchmark::State& state) {
  const std::string json = MakeWorkflowJson(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    rapidjson::Document document;
    document.Parse(json.c_str(), json.size());
    benchmark::DoNotOptimize(document);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

BENCHMARK(BM_SummarizeOnDemand)
    ->Arg(50 << 10)
    ->Arg(1 << 20)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RapidJsonSaxTokenizeOnly)
    ->Arg(50 << 10)
    ->Arg(1 << 20)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RapidJsonDomParseOnly)
    ->Arg(50 << 10)
    ->Arg(1 << 20)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
