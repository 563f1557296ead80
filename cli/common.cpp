#include "common.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>

namespace kfpevents::cli {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string JsonQuoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Rfc3339(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

LogLevel ParseLogLevel(const std::string& name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

std::shared_ptr<Logger> LogFlags::MakeLogger() const {
  return MakeStderrLogger(ParseLogLevel(level), json() ? LogFormat::kJson : LogFormat::kText);
}

void AddLogFlags(CLI::App& command, LogFlags& flags) {
  command.add_option("--log-level", flags.level, "debug, info, warning or error")
      ->default_val("info")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));
  command
      .add_option("--log-format", flags.format,
                  "text, or json: one object per line with time, level and msg")
      ->default_val("text")
      ->check(CLI::IsMember({"text", "json"}));
}

void WriteSummary(const std::string& lines, const LogFlags& flags, Logger& logger) {
  if (!flags.json()) {
    std::cerr << lines;
    return;
  }
  std::size_t at = 0;
  while (at < lines.size()) {
    const std::size_t end = std::min(lines.find('\n', at), lines.size());
    std::string_view line(lines.data() + at, end - at);
    static constexpr std::string_view kPrefix = "kfp-eventd: ";
    if (line.substr(0, kPrefix.size()) == kPrefix) line.remove_prefix(kPrefix.size());
    if (!line.empty()) logger.Log(LogLevel::kInfo, line);
    at = end + 1;
  }
}

RetryPolicy RetryPolicyFor(int retries) {
  RetryPolicy policy;
  policy.backoff.assign(static_cast<std::size_t>(retries), std::chrono::seconds(5));
  if (!policy.backoff.empty()) policy.backoff.front() = std::chrono::seconds(1);
  policy.max_retry_after = std::chrono::seconds(60);  // a one-shot command must end
  return policy;
}

void AddRetriesFlag(CLI::App& command, int& retries) {
  command
      .add_option("--retries", retries,
                  "retries of a failed delivery (1 s, then 5 s apart; Retry-After honoured)")
      ->default_val(retries)
      ->check(CLI::Range(0, 100));
}

std::optional<std::vector<std::chrono::milliseconds>> ParseRetrySchedule(std::string text) {
  std::erase(text, ' ');
  std::vector<std::chrono::milliseconds> schedule;
  if (text == "none") return schedule;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::optional<std::chrono::milliseconds> wait =
        ParseDuration(std::string_view(text).substr(at, comma - at));
    if (!wait) return std::nullopt;
    schedule.push_back(*wait);
    at = comma + 1;
  }
  return schedule;
}

void AddSubscriberFlags(CLI::App& command, SubscriberSources& sources) {
  command.add_option("--subscriber", sources.urls,
                     "POST every message to this webhook URL (repeatable)");
  command.add_option("--config", sources.config_file, "YAML config file of subscribers")
      ->check(CLI::ExistingFile);
  command
      .add_option("--subscribers-dir", sources.subscribers_dir,
                  "folder of files each holding one webhook URL (the original ConfigMap)")
      ->check(CLI::ExistingDirectory);
  command.add_flag("--stdout", sources.stdout_subscriber,
                   "also print every message on standard output, one per line");
  command.add_option("--format", sources.format, "message format for --subscriber and --stdout")
      ->default_val("kfp");
}

std::vector<Subscription> SubscriptionsOrReport(const SubscriberSources& sources,
                                                const std::string& command_name) {
  Result<std::vector<SubscriberConfig>> subscribers = GatherSubscribers(sources);
  if (!subscribers) {
    std::cerr << subscribers.error().message() << '\n';
    return {};
  }
  if (subscribers->empty()) {
    std::cerr << command_name
              << ": no subscribers: give --stdout, --subscriber URL, --config FILE or "
                 "--subscribers-dir DIR\n";
    return {};
  }
  Result<std::vector<Subscription>> subscriptions = BuildSubscriptions(*subscribers);
  if (!subscriptions) {
    std::cerr << command_name << ": " << subscriptions.error().message() << '\n';
    return {};
  }
  return std::move(*subscriptions);
}

void PrintSubscriberReports(const RunSummary& summary, std::ostream& out, bool kept) {
  for (const SubscriberReport& report : summary.subscribers) {
    out << "kfp-eventd: subscriber " << report.name << ": " << report.delivered << " delivered";
    if (report.filtered != 0) out << ", " << report.filtered << " filtered out";
    if (report.retries != 0) out << ", " << report.retries << " retries";
    if (kept) {
      // A durable store keeps both for later: the next start, or `kfp-eventd outbox`.
      if (report.failed != 0) out << ", " << report.failed << " dead-lettered";
      if (report.unsent != 0) out << ", " << report.unsent << " left in the outbox";
      if (report.failed != 0 && !report.last_error.empty()) {
        out << " (last error: " << report.last_error << ")";
      }
    } else if (const std::uint64_t missed = report.failed + report.unsent; missed != 0) {
      out << ", " << missed << " NOT delivered";
      if (!report.last_error.empty()) out << " (last error: " << report.last_error << ")";
    }
    out << '\n';
  }
}

}  // namespace kfpevents::cli
