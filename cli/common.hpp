// What several subcommands share: log levels, the retry flag, the subscriber flags.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kfpevents/config.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/pipeline.hpp"

namespace kfpevents::cli {

// The environment variable `name`, or `fallback` when it is unset or empty.
std::string EnvOr(const char* name, const std::string& fallback = "");

// `text` as a JSON string: quotes, backslashes and control characters escaped.
std::string JsonQuoted(const std::string& text);

// "2026-11-23T07:00:00Z" (UTC, whole seconds).
std::string Rfc3339(std::chrono::system_clock::time_point time);

LogLevel ParseLogLevel(const std::string& name);
// --log-level debug|info|warning|error and --log-format text|json.
struct LogFlags {
  std::string level = "info";
  std::string format = "text";
  std::shared_ptr<Logger> MakeLogger() const;
  bool json() const { return format == "json"; }
};
void AddLogFlags(CLI::App& command, LogFlags& flags);

// `retries` retries, 1 s then 5 s apart and 5 s after that.
RetryPolicy RetryPolicyFor(int retries);
void AddRetriesFlag(CLI::App& command, int& retries);

// "5s,5m,30m" -> the waits before each retry; "none" -> no retries; nullopt when malformed.
std::optional<std::vector<std::chrono::milliseconds>> ParseRetrySchedule(std::string text);

// --subscriber, --config, --subscribers-dir, --stdout, --format.
void AddSubscriberFlags(CLI::App& command, SubscriberSources& sources);

// The subscriptions the sources describe; on failure prints why (prefixed by `command_name`)
// and returns an empty vector.
std::vector<Subscription> SubscriptionsOrReport(const SubscriberSources& sources,
                                                const std::string& command_name);

// One line per subscriber: delivered, filtered, retried, and what was not delivered and why.
// `kept`: the state store keeps what was not delivered (dead letters, the outbox) for later.
void PrintSubscriberReports(const RunSummary& summary, std::ostream& out, bool kept = false);

// Writes a run's closing lines (each "kfp-eventd: ...") to stderr as they are, or through
// `logger` at info level when the logs are JSON, so that every line parses.
void WriteSummary(const std::string& lines, const LogFlags& flags, Logger& logger);

}  // namespace kfpevents::cli
