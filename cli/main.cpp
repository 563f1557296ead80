// kfp-eventd: argument parsing and wiring only; everything worth testing lives in the library.
#include <iostream>

#include "commands.hpp"
#include "kfpevents/version.hpp"

int main(int argc, char** argv) {
  using namespace kfpevents::cli;
  CLI::App app{
      "kfp-eventd turns Kubeflow Pipelines / Argo Workflows events into notifications:\n"
      "each Event the Argo controller records about a run becomes a message POSTed to every\n"
      "subscriber (a Teams or Slack notifier, a CI system, an analytics store).",
      "kfp-eventd"};
  app.set_version_flag("--version", std::string("kfp-eventd ") + kfpevents::kVersion);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  kfp-eventd replay examples/events/kfp-runs.jsonl --stdout\n"
      "  kfp-eventd replay run.jsonl --subscriber http://127.0.0.1:8080/hook\n"
      "  kfp-eventd validate --config kfp-eventd.yaml\n"
      "\n"
      "Run `kfp-eventd COMMAND --help` for a command's flags.\n"
      "Exit codes: 0 ok; 1 some message was not delivered; 2 bad flags, config or input.");

  const Command replay = AddReplayCommand(app);
  const Command validate = AddValidateCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const CLI::App* sub : app.get_subcommands()) {
    if (sub->get_name() == "replay") return replay();
    if (sub->get_name() == "validate") return validate();
  }
  return kExitUsage;
}
