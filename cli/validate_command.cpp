#include <iostream>
#include <memory>

#include "commands.hpp"
#include "kfpevents/config.hpp"

namespace kfpevents::cli {

Command AddValidateCommand(CLI::App& app) {
  auto sources = std::make_shared<SubscriberSources>();
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a config file (and subscribers folder) and print every problem");
  validate->add_option("--config", sources->config_file, "YAML config file to check");
  validate->add_option("--subscribers-dir", sources->subscribers_dir,
                       "folder of files each holding one webhook URL");
  validate->footer(
      "Examples:\n"
      "  kfp-eventd validate --config kfp-eventd.yaml\n"
      "  kfp-eventd validate --subscribers-dir /subscribers\n"
      "\n"
      "Prints each problem as FILE:LINE:COLUMN: KEY.PATH: what is wrong.\n"
      "Exit codes: 0 valid; 2 problems found.");
  return [sources] {
    if (sources->config_file.empty() && sources->subscribers_dir.empty()) {
      std::cerr << "kfp-eventd validate: give --config FILE and/or --subscribers-dir DIR\n";
      return kExitUsage;
    }
    Result<std::vector<SubscriberConfig>> subscribers = GatherSubscribers(*sources);
    if (!subscribers) {
      std::cerr << subscribers.error().message() << '\n';
      return kExitUsage;
    }
    // Building reads secret and header files and checks secrets: all part of "valid".
    if (Result<std::vector<Subscription>> built = BuildSubscriptions(*subscribers); !built) {
      std::cerr << built.error().message() << '\n';
      return kExitUsage;
    }
    std::cout << "valid: " << subscribers->size() << " subscriber"
              << (subscribers->size() == 1 ? "" : "s") << '\n';
    for (const SubscriberConfig& subscriber : *subscribers) {
      std::cout << "  " << subscriber.name << " (" << subscriber.format << ", "
                << (subscriber.type == SubscriberType::kStdout ? "stdout" : "webhook") << ")\n";
    }
    return kExitOk;
  };
}

}  // namespace kfpevents::cli
