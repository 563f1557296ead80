#include "kfpevents/logger.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "json/go_json.hpp"

namespace kfpevents {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// RFC 3339 UTC with milliseconds, for JSON lines.
std::string NowRfc3339Millis() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const std::size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + length, sizeof(text) - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

class StderrLogger final : public Logger {
 public:
  StderrLogger(LogLevel min_level, LogFormat format) : min_level_(min_level), format_(format) {}

  void Log(LogLevel level, std::string_view message) override {
    if (level < min_level_) return;
    std::string line;
    if (format_ == LogFormat::kJson) {
      line = "{\"time\":\"" + NowRfc3339Millis() + "\",\"level\":\"";
      line += LevelName(level);
      line += "\",\"msg\":";
      json::AppendGoString(line, message);
      line += "}\n";
    } else {
      line = "kfp-eventd: ";
      line += LevelName(level);
      line += ": ";
      line += message;
      line += '\n';
    }
    // One fwrite per line under a lock, so concurrent lines never interleave.
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

 private:
  const LogLevel min_level_;
  const LogFormat format_;
  std::mutex mutex_;
};

class NullLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view) override {}
};

}  // namespace

std::shared_ptr<Logger> MakeStderrLogger(LogLevel min_level, LogFormat format) {
  return std::make_shared<StderrLogger>(min_level, format);
}

std::shared_ptr<Logger> MakeNullLogger() { return std::make_shared<NullLogger>(); }

}  // namespace kfpevents
