#include <iostream>
#include <memory>

#include "commands.hpp"
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
  std::string log_level = "info";
};

LogLevel ParseLogLevel(const std::string& name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

void PrintSummary(const RunSummary& summary, std::ostream& out) {
  out << "kfp-eventd: replayed " << summary.events << " events";
  if (summary.unresolved != 0) out << " (" << summary.unresolved << " without workflow details)";
  out << '\n';
  for (const SubscriberReport& report : summary.subscribers) {
    const std::uint64_t missed = report.failed + report.unsent;
    out << "kfp-eventd: subscriber " << report.name << ": " << report.delivered << " delivered";
    if (report.filtered != 0) out << ", " << report.filtered << " filtered out";
    if (report.retries != 0) out << ", " << report.retries << " retries";
    if (missed != 0) {
      out << ", " << missed << " NOT delivered (last error: " << report.last_error << ")";
    }
    out << '\n';
  }
}

int RunReplay(const ReplayFlags& flags) {
  std::stop_source stop;
  const SignalStopper signals(stop);  // before any thread starts
  const std::shared_ptr<Logger> logger = MakeStderrLogger(ParseLogLevel(flags.log_level));

  Result<std::vector<SubscriberConfig>> subscribers = GatherSubscribers(flags.sources);
  if (!subscribers) {
    std::cerr << subscribers.error().message() << '\n';
    return kExitUsage;
  }
  if (subscribers->empty()) {
    std::cerr << "kfp-eventd replay: no subscribers: give --stdout, --subscriber URL, --config "
                 "FILE or --subscribers-dir DIR\n";
    return kExitUsage;
  }
  Result<std::vector<Subscription>> subscriptions = BuildSubscriptions(*subscribers);
  if (!subscriptions) {
    std::cerr << "kfp-eventd replay: " << subscriptions.error().message() << '\n';
    return kExitUsage;
  }
  Result<ReplayParts> replay = MakeReplay({flags.file, 16 * 1024 * 1024, logger});
  if (!replay) {
    std::cerr << "kfp-eventd replay: " << replay.error().message() << '\n';
    return kExitUsage;
  }

  PipelineOptions options;
  options.logger = logger;
  options.retry.backoff.resize(static_cast<std::size_t>(flags.retries),
                               options.retry.backoff.empty() ? std::chrono::seconds(1)
                                                             : options.retry.backoff.back());
  Pipeline pipeline(std::move(replay->source), std::move(replay->resolver),
                    std::move(*subscriptions), std::move(options));
  Result<RunSummary> summary = pipeline.Run(stop.get_token());
  if (!summary) {
    std::cerr << "kfp-eventd replay: " << summary.error().ToString() << '\n';
    return kExitUndelivered;
  }
  PrintSummary(*summary, std::cerr);
  if (replay->bad_lines != 0) {
    std::cerr << "kfp-eventd: " << replay->bad_lines << " malformed lines skipped (see above)\n";
  }
  return summary->AllDelivered() ? kExitOk : kExitUndelivered;
}

}  // namespace

Command AddReplayCommand(CLI::App& app) {
  auto flags = std::make_shared<ReplayFlags>();
  CLI::App* replay = app.add_subcommand(
      "replay", "Feed a recorded events file through the pipeline, with no cluster");
  replay->add_option("FILE", flags->file,
                     "JSON lines: Kubernetes watch events or bare Event objects, plus the "
                     "Workflow objects they belong to; - for standard input")
      ->required();
  replay->add_option("--subscriber", flags->sources.urls,
                     "POST every message to this webhook URL (repeatable)");
  replay->add_option("--config", flags->sources.config_file, "YAML config file of subscribers")
      ->check(CLI::ExistingFile);
  replay->add_option("--subscribers-dir", flags->sources.subscribers_dir,
                     "folder of files each holding one webhook URL (the original ConfigMap)")
      ->check(CLI::ExistingDirectory);
  replay->add_flag("--stdout", flags->sources.stdout_subscriber,
                   "also print every message on standard output, one per line");
  replay->add_option("--format", flags->sources.format,
                     "message format for --subscriber and --stdout")
      ->default_val("kfp");
  replay->add_option("--retries", flags->retries,
                     "retries of a failed delivery (1 s, then 5 s apart; Retry-After honoured)")
      ->default_val(2)
      ->check(CLI::Range(0, 10));
  replay->add_option("--log-level", flags->log_level, "debug, info, warning or error")
      ->default_val("info")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));
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
