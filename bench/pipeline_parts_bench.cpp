// The per-event work between the wire and the outbox, part by part, on the recorded example run:
// decoding a watch line (a recorded Event, and a synthetic Workflow of 50 KB), formatting a
// notification in each format, and signing a message (Standard Webhooks).
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include "argo/decoders.hpp"
#include "http/signing.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"
#include "kube/watch_frames.hpp"
#include "workflow_json.hpp"

namespace {

struct Recording {
  std::vector<std::string> watch_lines;  // {"type":...,"object":<Event>}
  std::vector<std::string> workflows;    // Workflow objects
};

const Recording& Example() {
  static const Recording recording = [] {
    Recording out;
    std::ifstream in(std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl");
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("{\"type\"")) out.watch_lines.push_back(line);
      if (line.find("\"kind\":\"Workflow\"") != std::string::npos) out.workflows.push_back(line);
    }
    return out;
  }();
  return recording;
}

// The failed run's WorkflowFailed: the largest payload of the recording (a message, a node).
kfpevents::Notification SampleNotification() {
  kfpevents::Notification notification;
  for (const std::string& line : Example().watch_lines) {
    auto frame = kfpevents::kube::DecodeWatchLine(line);
    if (frame && frame->event && frame->event->reason == "WorkflowNodeFailed") {
      notification.event = *frame->event;
    }
  }
  for (const std::string& json : Example().workflows) {
    auto workflow = kfpevents::argo::SummarizeWorkflow(json);
    if (workflow && workflow->name == notification.event.involved_object.name) {
      notification.workflow = *workflow;
    }
  }
  notification.key = kfpevents::TransitionKey(
      notification.event, notification.workflow ? &*notification.workflow : nullptr);
  return notification;
}

void BM_DecodeEventWatchLine(benchmark::State& state) {
  const std::string& line = Example().watch_lines.front();
  for (auto _ : state) {
    auto frame = kfpevents::kube::DecodeWatchLine(line);
    benchmark::DoNotOptimize(frame);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}

void BM_DecodeWorkflowWatchLine(benchmark::State& state) {
  const std::string workflow = kfpevents::bench::MakeWorkflowJson(50 * 1024);
  const std::string line = R"({"type":"MODIFIED","object":)" + workflow + "}";
  for (auto _ : state) {
    auto summary = kfpevents::argo::SummarizeWorkflowWatchLine(line);
    benchmark::DoNotOptimize(summary);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
  state.counters["line_bytes"] = static_cast<double>(line.size());
}

void BM_Format(benchmark::State& state, const char* format) {
  const kfpevents::Notification notification = SampleNotification();
  auto formatter = kfpevents::MakeFormatter(format).value();
  for (auto _ : state) {
    auto message = formatter->Format(notification);
    benchmark::DoNotOptimize(message);
  }
}

void BM_Sign(benchmark::State& state) {
  const std::string key =
      kfpevents::http::SigningKeyFromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").value();
  auto formatter = kfpevents::MakeFormatter("kfp").value();
  const kfpevents::Message message = formatter->Format(SampleNotification()).value();
  for (auto _ : state) {
    std::string signature = kfpevents::http::SignWebhook(key, message.id, 1795417200, message.body);
    benchmark::DoNotOptimize(signature);
  }
}

}  // namespace

BENCHMARK(BM_DecodeEventWatchLine);
BENCHMARK(BM_DecodeWorkflowWatchLine)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Format, kfp, "kfp");
BENCHMARK_CAPTURE(BM_Format, kfp_extended, "kfp-extended");
BENCHMARK_CAPTURE(BM_Format, cloudevents, "cloudevents");
BENCHMARK_CAPTURE(BM_Format, cloudevents_binary, "cloudevents-binary");
BENCHMARK(BM_Sign);

BENCHMARK_MAIN();
