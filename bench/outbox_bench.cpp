// The durable store's cycle for one event: insert its key and outbox row, commit, and later
// delete the row once delivered. Grouped commits amortize the fsync: compare 1 event per
// transaction with 16 and 256, with synchronous=FULL (the default) and NORMAL.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/backend.hpp"

namespace {

namespace fs = std::filesystem;

struct TempStore {
  explicit TempStore(bool full) {
    dir = fs::temp_directory_path() / ("kfpevents-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    kfpevents::StateStoreOptions options;
    options.dir = dir.string();
    options.synchronous_full = full;
    store = *kfpevents::OpenStateStore(options);
  }
  ~TempStore() {
    store.reset();
    fs::remove_all(dir);
  }
  kfpevents::store::Backend& backend() { return dynamic_cast<kfpevents::store::Backend&>(*store); }
  fs::path dir;
  std::shared_ptr<kfpevents::StateStore> store;
};

// args: events per transaction, synchronous FULL (1) or NORMAL (0).
void BM_OutboxCycle(benchmark::State& state) {
  const auto per_commit = static_cast<std::size_t>(state.range(0));
  TempStore temp(state.range(1) == 1);
  const std::string body(300, 'b');  // about a kfp payload
  std::uint64_t sequence = 0;
  for (auto _ : state) {
    kfpevents::store::Batch intake;
    for (std::size_t i = 0; i < per_commit; ++i) {
      const std::string key = "uid/node-" + std::to_string(++sequence) + "/WorkflowNodeSucceeded/1";
      intake.notified.push_back(key);
      kfpevents::store::OutboxEntry& row = intake.added.emplace_back();
      row.subscriber = "teams";
      row.message.id = key;
      row.message.body = body;
      row.message.content_type = "application/json";
    }
    if (!temp.backend().Apply(intake).ok()) state.SkipWithError("intake commit failed");
    kfpevents::store::Batch delivered;
    for (const auto& row : intake.added) delivered.delivered.push_back(row.id);
    if (!temp.backend().Apply(delivered).ok()) state.SkipWithError("delete commit failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * per_commit));
}
BENCHMARK(BM_OutboxCycle)
    ->ArgsProduct({{1, 16, 256}, {1, 0}})
    ->ArgNames({"events_per_commit", "sync_full"})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
