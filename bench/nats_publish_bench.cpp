// Publishing to NATS JetStream as `type: nats` does: one message at a time, each done when the
// stream acknowledges it. Against the nats-server at $NATS_URL (scripts/bench.sh starts one with
// JetStream on loopback); a file-backed stream KFP_BENCH over kfp.bench.> is (re)created first.
#include <benchmark/benchmark.h>
#include <nats/nats.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "nats/nats.hpp"

namespace kfpevents {
namespace {

std::string Url() {
  const char* url = std::getenv("NATS_URL");
  return url != nullptr ? url : "nats://127.0.0.1:4222";
}

bool ResetStream() {
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  if (natsConnection_ConnectTo(&connection, Url().c_str()) != NATS_OK) return false;
  natsConnection_JetStream(&js, connection, nullptr);
  js_DeleteStream(js, "KFP_BENCH", nullptr, nullptr);
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = "KFP_BENCH";
  const char* subjects[] = {"kfp.bench.>"};
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  const bool added = js_AddStream(nullptr, js, &config, nullptr, nullptr) == NATS_OK;
  jsCtx_Destroy(js);
  natsConnection_Destroy(connection);
  return added;
}

// A subscriber publishing into an emptied KFP_BENCH stream; null, with the benchmark skipped,
// when no nats-server with JetStream answers.
std::unique_ptr<Subscriber> SubscriberOnAnEmptyStream(benchmark::State& state) {
  if (!ResetStream()) {
    state.SkipWithError(("no nats-server with JetStream at " + Url()).c_str());
    return nullptr;
  }
  nats::NatsOptions options;
  options.name = "bench";
  options.servers = Url();
  options.stream = "KFP_BENCH";
  Result<std::unique_ptr<Subscriber>> subscriber = nats::MakeNatsSubscriber(options);
  if (!subscriber) {
    state.SkipWithError(subscriber.error().message().c_str());
    return nullptr;
  }
  return std::move(*subscriber);
}

// What each publish sends: a message of 300 bytes to one subject.
Message BenchMessage() {
  return Message{"", std::string(300, 'x'), "application/json", {}, "kfp.bench.kubeflow.train"};
}

// `repeat`: every publish carries the same Nats-Msg-Id, so the stream drops all but the first
// (what a redelivery after a crash costs).
void BM_NatsPublish(benchmark::State& state) {
  const bool repeat = state.range(0) == 1;
  const std::unique_ptr<Subscriber> subscriber = SubscriberOnAnEmptyStream(state);
  if (!subscriber) return;
  Message message = BenchMessage();
  std::int64_t sequence = 0;
  for (auto _ : state) {
    message.id = repeat ? "msg_same" : "msg_" + std::to_string(++sequence);
    const DeliveryResult result = subscriber->Deliver(message, {});
    if (result.outcome != DeliveryOutcome::kDelivered) {
      state.SkipWithError(result.detail.c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NatsPublish)->ArgName("repeat")->Arg(0)->Arg(1)->UseRealTime();

// One subscriber shared by several threads, as a subscription with `concurrency: N` runs it:
// that many publishes wait for their acknowledgements at once on its one connection.
void BM_NatsPublishConcurrently(benchmark::State& state) {
  static std::unique_ptr<Subscriber> shared;
  static std::atomic<std::int64_t> sequence{0};
  if (state.thread_index() == 0) {
    shared = SubscriberOnAnEmptyStream(state);
    if (!shared) return;
  }
  Message message = BenchMessage();
  for (auto _ : state) {
    message.id = "msg_" + std::to_string(++sequence);
    if (shared->Deliver(message, {}).outcome != DeliveryOutcome::kDelivered) {
      state.SkipWithError("a publish failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NatsPublishConcurrently)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();

}  // namespace
}  // namespace kfpevents

BENCHMARK_MAIN();
