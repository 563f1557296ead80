// kfp-eventd's subcommands: each registers its flags on the app and returns what runs it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace kfpevents::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUndelivered = 1;  // the command ran, but something was not delivered
inline constexpr int kExitUsage = 2;        // bad flags, config or input: nothing was attempted
// `kfp` commands: a failed run is not a failed command.
inline constexpr int kExitRunFailed = 1;      // the run ended without success
inline constexpr int kExitCommandFailed = 3;  // the API was unreachable or refused
inline constexpr int kExitTimedOut = 4;       // the run did not end in time

using Command = std::function<int()>;

Command AddReplayCommand(CLI::App& app);
Command AddValidateCommand(CLI::App& app);
Command AddWatchCommand(CLI::App& app);
Command AddOutboxCommand(CLI::App& app);
Command AddKfpCommand(CLI::App& app);

}  // namespace kfpevents::cli
