// Logger: where the library reports what it skipped, retried or could not do.
#pragma once

#include <memory>
#include <string_view>

#include "kfpevents/export.hpp"

namespace kfpevents {

enum class LogLevel { kDebug = 0, kInfo, kWarning, kError };

class KFPEVENTS_EXPORT Logger {
 public:
  Logger() = default;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  virtual ~Logger();

  // Thread-safe: called from any thread, concurrently. Must not block for long.
  // Callers never pass secrets (tokens, Authorization headers) in `message`.
  virtual void Log(LogLevel level, std::string_view message) = 0;
};

enum class LogFormat {
  kText,  // kfp-eventd: warning: ...
  kJson,  // {"time":"2026-11-23T07:00:00.123Z","level":"warning","msg":"..."}, one per line
};

// Writes one line per message to stderr, dropping levels below `min_level`.
KFPEVENTS_EXPORT std::shared_ptr<Logger> MakeStderrLogger(LogLevel min_level = LogLevel::kInfo,
                                                          LogFormat format = LogFormat::kText);
// Discards everything; the default when no logger is given.
KFPEVENTS_EXPORT std::shared_ptr<Logger> MakeNullLogger();

}  // namespace kfpevents
