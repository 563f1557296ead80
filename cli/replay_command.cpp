#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/pipeline.hpp"
#include "kfpevents/replay.hpp"
#include "signals.hpp"

namespace kfpevents::cli {
namespace {

struct ReplayFlags {
  std::string file;
  SubscriberSources sources;
  int retries = 2;
  LogFlags log;
};

void PrintSummary(const RunSummary& summary, std::ostream& out) {
  out << "kfp-eventd: replayed " << summary.events << " events";
  if (summary.unresolved != 0) out << " (" << summary.unresolved << " without workflow details)";
  out << '\n';
  PrintSubscriberReports(summary, out);
}

int RunReplay(const ReplayFlags& flags) {
  std::stop_source stop;
  const SignalStopper signals(stop);  // before any thread starts
  const std::shared_ptr<Logger> logger = flags.log.MakeLogger();

  std::vector<Subscription> subscriptions =
      SubscriptionsOrReport(flags.sources, "kfp-eventd replay");
  if (subscriptions.empty()) return kExitUsage;
  Result<ReplayParts> replay = MakeReplay({flags.file, 16 * 1024 * 1024, logger});
  if (!replay) {
    std::cerr << "kfp-eventd replay: " << replay.error().message() << '\n';
    return kExitUsage;
  }

  PipelineOptions options;
  options.logger = logger;
  options.retry = RetryPolicyFor(flags.retries);
  Pipeline pipeline(std::move(replay->source), std::move(replay->resolver),
                    std::move(subscriptions), std::move(options));
  Result<RunSummary> summary = pipeline.Run(stop.get_token());
  if (!summary) {
    std::cerr << "kfp-eventd replay: " << summary.error().ToString() << '\n';
    return kExitUndelivered;
  }
  std::ostringstream lines;
  PrintSummary(*summary, lines);
  if (replay->bad_lines != 0) {
    lines << "kfp-eventd: " << replay->bad_lines << " malformed lines skipped (see above)\n";
  }
  WriteSummary(lines.str(), flags.log, *logger);
  return summary->AllDelivered() ? kExitOk : kExitUndelivered;
}

}  // namespace

Command AddReplayCommand(CLI::App& app) {
  auto flags = std::make_shared<ReplayFlags>();
  CLI::App* replay = app.add_subcommand(
      "replay", "Feed a recorded events file through the pipeline, with no cluster");
  replay
      ->add_option("FILE", flags->file,
                   "JSON lines: Kubernetes watch events or bare Event objects, plus the "
                   "Workflow objects they belong to; - for standard input")
      ->required();
  AddSubscriberFlags(*replay, flags->sources);
  AddRetriesFlag(*replay, flags->retries);
  AddLogFlags(*replay, flags->log);
  replay->footer(
      "Examples:\n"
      "  kfp-eventd replay examples/events/kfp-runs.jsonl --stdout\n"
      "  kfp-eventd replay run.jsonl --subscriber http://127.0.0.1:8080/hook --retries 0\n"
      "  kfp-eventd replay run.jsonl --config kfp-eventd.yaml\n"
      "\n"
      "Exit codes: 0 every message delivered; 1 some were not (one line per subscriber says\n"
      "why); 2 bad flags, config or file. Malformed lines are reported and skipped.");
  return [flags] { return RunReplay(*flags); };
}

}  // namespace kfpevents::cli
