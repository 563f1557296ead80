// A Logger that keeps every line, for asserting what was reported.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "kfpevents/logger.hpp"

namespace kfpevents::testing {

class CapturingLogger : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({level, std::string(message)});
  }
  std::vector<std::string> Lines(LogLevel at_least = LogLevel::kDebug) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [level, text] : lines_) {
      if (level >= at_least) out.push_back(text);
    }
    return out;
  }
  std::string All() const {
    std::string out;
    for (const std::string& line : Lines()) out += line + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> lines_;
};

}  // namespace kfpevents::testing
