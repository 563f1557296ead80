// Adding sinks and formats without forking the library.
//
// Tier 1, linking: a program that links libkfpevents registers named factories once, before it
// builds subscriptions; configuration then selects them (`type: pager`, `format: pager-text`),
// with the subscriber's `settings:` handed over as JSON.
// Tier 2, shared objects: `type: plugin` with `path:` loads a .so that exports the C table of
// kfpevents/plugin_abi.h (write it with kfpevents/plugin_sdk.hpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "kfpevents/config.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents {

// Builds a subscriber from its configuration entry: `config.settings_json` holds its
// `settings:` as a JSON object ("{}" when absent), `config.name` its name. An error is
// reported as the configuration's ("subscriber \"name\": ...").
using SubscriberFactory =
    std::function<Result<std::unique_ptr<Subscriber>>(const SubscriberConfig& config)>;
using FormatterFactory = std::function<std::unique_ptr<MessageFormatter>()>;

// Registers `type` for `type:` in configuration. Errors (kInvalidArgument): a built-in type
// (webhook, stdout, azure-devops, email, nats, kfp-run,
// plugin), a name registered before, an empty name or factory.
// Thread-safe; registrations last for the process.
KFPEVENTS_EXPORT Status RegisterSubscriberType(const std::string& type, SubscriberFactory factory);
// Registers `name` for `format:` in configuration; the same rules against built-in formats.
KFPEVENTS_EXPORT Status RegisterFormat(const std::string& name, FormatterFactory factory);

KFPEVENTS_EXPORT bool IsRegisteredSubscriberType(std::string_view type);

// Loads the plugin at `path` and creates an instance with `settings_json`. Errors name the file
// and what is wrong: cannot be loaded, no entry point, ABI major mismatch, a newer minor, a
// missing function, or the plugin's own create failure. Deliver calls never let an exception
// through; a crash in plugin code still ends the process (see docs/LIBRARY.md).
KFPEVENTS_EXPORT Result<std::unique_ptr<Subscriber>> LoadPluginSubscriber(
    const std::string& path, const std::string& settings_json);

}  // namespace kfpevents
