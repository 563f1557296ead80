// Summarizing an Argo Workflow at 50 KB, 1 MB and 2 MB: the on-demand summary the resolver uses
// (simdjson), beside what RapidJSON costs before any summary is made: its SAX tokenizer with a
// handler that does nothing (the floor of a RapidJSON streaming summary, the previous
// implementation) and its DOM parse alone. Then a KFP 2.x run: its compiler's templates read for
// the runtime-config and its task view made, with its node status plain or compressed as Argo
// stores a large one.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <zlib.h>

#include <string>

#include "argo/decoders.hpp"
#include "core/base64.hpp"
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

// Benchmarks only a summary that came out whole: a task view and the runtime-config's parameters.
bool SummarizesAsKfpV2(const std::string& json, benchmark::State& state) {
  auto info = kfpevents::argo::SummarizeWorkflow(json);
  if (info && info->kfp_v2 && info->parameters.size() == 2 && !info->nodes.empty() &&
      !info->nodes[1].task.empty()) {
    return true;
  }
  state.SkipWithError(info ? "not summarized as a KFP 2.x run" : info.error().message().c_str());
  return false;
}

void BM_SummarizeKfpV2(benchmark::State& state) {
  const std::string json =
      kfpevents::bench::MakeKfpV2WorkflowJson(static_cast<std::size_t>(state.range(0)));
  if (!SummarizesAsKfpV2(json, state)) return;
  for (auto _ : state) {
    auto info = kfpevents::argo::SummarizeWorkflow(json);
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

// The same run with status.nodes as Argo compresses it (gzip, base64); bytes are the plain size.
void BM_SummarizeKfpV2Compressed(benchmark::State& state) {
  const std::string plain =
      kfpevents::bench::MakeKfpV2WorkflowJson(static_cast<std::size_t>(state.range(0)));
  const std::size_t nodes_at = plain.rfind("\"nodes\":");
  const std::string nodes = plain.substr(nodes_at + 8, plain.size() - 2 - nodes_at - 8);
  std::string gzipped(compressBound(static_cast<uLong>(nodes.size())) + 64, '\0');
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(nodes.data()));
  stream.avail_in = static_cast<uInt>(nodes.size());
  stream.next_out = reinterpret_cast<Bytef*>(gzipped.data());
  stream.avail_out = static_cast<uInt>(gzipped.size());
  deflate(&stream, Z_FINISH);
  gzipped.resize(stream.total_out);
  deflateEnd(&stream);
  const std::string json = plain.substr(0, nodes_at) + "\"compressedNodes\":\"" +
                           kfpevents::EncodeBase64(gzipped) + "\"}}";
  if (!SummarizesAsKfpV2(json, state)) return;
  for (auto _ : state) {
    auto info = kfpevents::argo::SummarizeWorkflow(json);
    benchmark::DoNotOptimize(info);
  }
  state.counters["compressed_bytes"] = static_cast<double>(json.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * plain.size()));
}

BENCHMARK(BM_SummarizeOnDemand)
    ->Arg(50 << 10)
    ->Arg(1 << 20)
    ->Arg(2 << 20)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SummarizeKfpV2)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SummarizeKfpV2Compressed)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);
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
