#include "kfpevents/logger.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/rfc3339.hpp"
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

class StderrLogger final : public Logger {
 public:
  StderrLogger(LogLevel min_level, LogFormat format) : min_level_(min_level), format_(format) {}

  void Log(LogLevel level, std::string_view message) override {
    if (level < min_level_) return;
    std::string line;
    if (format_ == LogFormat::kJson) {
      line =
          "{\"time\":\"" + FormatRfc3339(std::chrono::system_clock::now(), 3) + "\",\"level\":\"";
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
