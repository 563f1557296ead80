// kfp-eventd: argument parsing and wiring only; everything worth testing lives in the library.
#include <algorithm>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kfpevents/version.hpp"

int main(int argc, char** argv) {
  using namespace kfpevents::cli;
#if defined(__GLIBC__)
  // Buffers of a quarter megabyte and more (list pages, Workflows, the JSON reader's) are mapped
  // and unmapped rather than carved from the heap. Left alone, glibc raises this threshold as
  // such buffers are freed and keeps their memory, so the daemon would stay at its peak size.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  CLI::App app{
      "kfp-eventd turns Kubeflow Pipelines / Argo Workflows events into notifications:\n"
      "each Event the Argo controller records about a run becomes a message POSTed to every\n"
      "subscriber (a Teams or Slack notifier, a CI system, an analytics store).",
      "kfp-eventd"};
  app.set_version_flag("--version", std::string("kfp-eventd ") + kfpevents::kVersion);
  app.require_subcommand(0, 1);
  app.footer(
      "Examples:\n"
      "  kfp-eventd                       # in a pod: watch with in-cluster credentials\n"
      "  kfp-eventd watch --kubeconfig ~/.kube/config -n kubeflow --stdout\n"
      "  kfp-eventd replay examples/events/kfp-runs.jsonl --stdout\n"
      "  kfp-eventd replay run.jsonl --subscriber http://127.0.0.1:8080/hook\n"
      "  kfp-eventd validate --config kfp-eventd.yaml\n"
      "  kfp-eventd outbox list --state-dir /var/lib/kfp-eventd\n"
      "  kfp-eventd kfp run create --pipeline-name churn --experiment-name ci --name n --wait\n"
      "\n"
      "With no command, or with only flags, kfp-eventd runs `watch`.\n"
      "Run `kfp-eventd COMMAND --help` for a command's flags.\n"
      "Exit codes: 0 ok; 1 some message was not delivered; 2 bad flags, config or input\n"
      "(`kfp` commands add 3 and 4: see `kfp-eventd kfp --help`).");

  const Command watch = AddWatchCommand(app);
  const Command replay = AddReplayCommand(app);
  const Command validate = AddValidateCommand(app);
  const Command outbox = AddOutboxCommand(app);
  const Command kfp = AddKfpCommand(app);
  // `kfp-eventd` and `kfp-eventd --namespace x ...` mean `kfp-eventd watch ...`.
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool top_level_flag =
      !args.empty() && (args[0] == "-h" || args[0] == "--help" || args[0] == "--version");
  if (args.empty() || (args[0].rfind('-', 0) == 0 && !top_level_flag)) {
    args.insert(args.begin(), "watch");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const CLI::App* sub : app.get_subcommands()) {
    if (sub->get_name() == "watch") return watch();
    if (sub->get_name() == "replay") return replay();
    if (sub->get_name() == "validate") return validate();
    if (sub->get_name() == "outbox") return outbox();
    if (sub->get_name() == "kfp") return kfp();
  }
  return kExitUsage;
}
