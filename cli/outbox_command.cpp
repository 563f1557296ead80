// `kfp-eventd outbox list|retry|drop`: inspect and re-drive what the daemon has not delivered.
// Safe while the daemon runs: SQLite serializes the writes, and the daemon picks up the change
// within a few seconds.
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "kfpevents/state.hpp"

namespace kfpevents::cli {
namespace {

struct OutboxFlags {
  std::string state_dir;
  std::string subscriber;
  std::vector<std::int64_t> ids;
  bool dead_only = false;
  bool all = false;
  std::string output = "text";
};

void PrintItems(const std::vector<OutboxItem>& items, const std::string& output) {
  if (output == "json") {
    for (const OutboxItem& item : items) {
      std::cout << "{\"id\":" << item.id << ",\"subscriber\":" << JsonQuoted(item.subscriber)
                << ",\"messageId\":" << JsonQuoted(item.message_id)
                << ",\"state\":" << (item.dead ? "\"dead\"" : "\"queued\"")
                << ",\"attempts\":" << item.attempts << ",\"bytes\":" << item.body_bytes
                << ",\"created\":" << JsonQuoted(Rfc3339(item.created))
                << ",\"nextAttempt\":" << JsonQuoted(Rfc3339(item.next_attempt))
                << ",\"lastError\":" << JsonQuoted(item.last_error) << "}\n";
    }
    return;
  }
  std::cout << "ID\tSUBSCRIBER\tMESSAGE\tSTATE\tATTEMPTS\tCREATED\tNEXT ATTEMPT\tLAST ERROR\n";
  for (const OutboxItem& item : items) {
    std::cout << item.id << '\t' << item.subscriber << '\t' << item.message_id << '\t'
              << (item.dead ? "dead" : "queued") << '\t' << item.attempts << '\t'
              << Rfc3339(item.created) << '\t' << (item.dead ? "-" : Rfc3339(item.next_attempt))
              << '\t' << item.last_error << '\n';
  }
}

int RunOutbox(const std::string& action, const OutboxFlags& flags) {
  const std::string name = "kfp-eventd outbox " + action;
  const std::filesystem::path db = std::filesystem::path(flags.state_dir) / "state.db";
  if (!std::filesystem::exists(db)) {
    std::cerr << name << ": no state store at " << db.string()
              << " (give the --state-dir the daemon uses)\n";
    return kExitUsage;
  }
  const OutboxFilter filter{flags.subscriber, flags.ids, flags.dead_only};
  if (action != "list" && !flags.all && filter.subscriber.empty() && filter.ids.empty() &&
      !filter.dead_only) {
    std::cerr << name << ": say which messages: --id ID, --subscriber NAME, --dead or --all\n";
    return kExitUsage;
  }
  StateStoreOptions options;
  options.dir = flags.state_dir;
  options.replace_damaged = false;  // the daemon's to decide, not a look at its outbox
  options.exclusive = false;         // beside a running daemon, which holds the lock
  options.logger = MakeStderrLogger(LogLevel::kWarning);
  Result<std::shared_ptr<StateStore>> store = OpenStateStore(options);
  if (!store) {
    std::cerr << name << ": " << store.error().message() << '\n';
    return kExitUndelivered;
  }
  if (action == "list") {
    Result<std::vector<OutboxItem>> items = (*store)->ListOutbox(filter);
    if (!items) {
      std::cerr << name << ": " << items.error().message() << '\n';
      return kExitUndelivered;
    }
    PrintItems(*items, flags.output);
    return kExitOk;
  }
  Result<std::size_t> changed =
      action == "retry" ? (*store)->RetryOutbox(filter) : (*store)->DropOutbox(filter);
  if (!changed) {
    std::cerr << name << ": " << changed.error().message() << '\n';
    return kExitUndelivered;
  }
  std::cout << (action == "retry" ? "queued for delivery now: " : "dropped: ") << *changed
            << " message" << (*changed == 1 ? "" : "s") << '\n';
  return kExitOk;
}

}  // namespace

Command AddOutboxCommand(CLI::App& app) {
  auto flags = std::make_shared<OutboxFlags>();
  auto action = std::make_shared<std::string>();
  CLI::App* outbox = app.add_subcommand(
      "outbox", "Inspect and re-drive undelivered messages in a state dir (list, retry, drop)");
  outbox->require_subcommand(1);
  const struct {
    const char* name;
    const char* help;
  } actions[] = {
      {"list", "List queued and dead-lettered messages"},
      {"retry", "Make messages due now with a fresh retry budget (dead letters included)"},
      {"drop", "Delete messages for good"},
  };
  for (const auto& [action_name, help] : actions) {
    CLI::App* sub = outbox->add_subcommand(action_name, help);
    sub->add_option("--state-dir", flags->state_dir, "the daemon's --state-dir")->required();
    sub->add_option("--subscriber", flags->subscriber, "only this subscriber's messages");
    sub->add_flag("--dead", flags->dead_only, "only dead-lettered messages");
    if (std::string(action_name) == "list") {
      sub->add_option("-o,--output", flags->output, "text (a table) or json (one per line)")
          ->default_val("text")
          ->check(CLI::IsMember({"text", "json"}));
    } else {
      sub->add_option("--id", flags->ids, "an outbox row id from `outbox list` (repeatable)");
      sub->add_flag("--all", flags->all, "every message the other flags select");
    }
    sub->callback([action, name = std::string(action_name)] { *action = name; });
  }
  outbox->footer(
      "Examples:\n"
      "  kfp-eventd outbox list --state-dir /var/lib/kfp-eventd\n"
      "  kfp-eventd outbox list --state-dir /var/lib/kfp-eventd --dead -o json\n"
      "  kfp-eventd outbox retry --state-dir /var/lib/kfp-eventd --dead --subscriber teams\n"
      "  kfp-eventd outbox drop --state-dir /var/lib/kfp-eventd --id 42\n"
      "\n"
      "Safe while the daemon runs: it notices the change within a few seconds.\n"
      "Exit codes: 0 ok; 1 the store could not be read or written; 2 bad flags.");
  return [flags, action] { return RunOutbox(*action, *flags); };
}

}  // namespace kfpevents::cli
