#include "kfpevents/replay.hpp"

#include <deque>
#include <fstream>
#include <iostream>
#include <map>

#include "replay/line_reader.hpp"
#include "replay/recorded_line.hpp"

namespace kfpevents {
namespace {

class ReplaySource final : public EventSource {
 public:
  explicit ReplaySource(std::deque<WorkflowEvent> events) : events_(std::move(events)) {}

  Result<std::optional<WorkflowEvent>> Next(std::stop_token stop) override {
    if (stop.stop_requested() || events_.empty()) return std::optional<WorkflowEvent>();
    WorkflowEvent event = std::move(events_.front());
    events_.pop_front();
    event.received = std::chrono::system_clock::now();
    return std::optional<WorkflowEvent>(std::move(event));
  }

 private:
  std::deque<WorkflowEvent> events_;
};

class RecordedResolver final : public WorkflowResolver {
 public:
  void Record(WorkflowInfo workflow) {
    std::string key = workflow.namespace_name + "/" + workflow.name;
    if (!workflow.uid.empty()) uid_to_key_[workflow.uid] = key;
    by_name_[std::move(key)] = std::make_shared<const WorkflowInfo>(std::move(workflow));
  }

  Result<SharedWorkflowInfo> Resolve(const WorkflowRef& ref, std::stop_token) override {
    std::string key = ref.namespace_name + "/" + ref.name;
    if (!ref.uid.empty()) {
      const auto it = uid_to_key_.find(ref.uid);
      if (it != uid_to_key_.end()) key = it->second;
    }
    const auto it = by_name_.find(key);
    if (it == by_name_.end() ||
        (!ref.uid.empty() && !it->second->uid.empty() && it->second->uid != ref.uid)) {
      return Status::NotFound("workflow " + ref.namespace_name + "/" + ref.name +
                              " is not in the recording");
    }
    return it->second;
  }

 private:
  std::map<std::string, SharedWorkflowInfo> by_name_;  // "namespace/name" -> last recorded
  std::map<std::string, std::string> uid_to_key_;
};

}  // namespace

Result<ReplayParts> MakeReplay(const ReplayOptions& options) {
  const std::shared_ptr<Logger> logger = options.logger ? options.logger : MakeNullLogger();
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.path != "-") {
    file.open(options.path, std::ios::binary);
    if (!file) return Status::NotFound("cannot open replay file " + options.path);
    in = &file;
  }

  std::deque<WorkflowEvent> events;
  auto resolver = std::make_unique<RecordedResolver>();
  std::size_t bad_lines = 0;
  const auto report = [&](std::size_t line_number, const std::string& why) {
    ++bad_lines;
    logger->Log(LogLevel::kWarning,
                options.path + ":" + std::to_string(line_number) + ": skipped: " + why);
  };

  replay::LineReader reader(*in, options.max_line_bytes);
  std::string line;
  for (;;) {
    const replay::LineReader::Read read = reader.Next(line);
    if (read == replay::LineReader::Read::kEnd) break;
    if (read == replay::LineReader::Read::kTooLong) {
      report(reader.line_number(),
             "line longer than " + std::to_string(options.max_line_bytes) + " bytes");
      continue;
    }
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;

    Result<replay::RecordedItem> item = replay::DecodeRecordedLine(line);
    if (!item) {
      report(reader.line_number(), item.error().message());
      continue;
    }
    if (auto* event = std::get_if<WorkflowEvent>(&*item)) {
      events.push_back(std::move(*event));
    } else if (auto* workflow = std::get_if<WorkflowInfo>(&*item)) {
      resolver->Record(std::move(*workflow));
    } else {
      logger->Log(LogLevel::kDebug, options.path + ":" + std::to_string(reader.line_number()) +
                                        ": ignored " + std::get<replay::Skipped>(*item).why);
    }
  }
  if (in->bad()) return Status::InvalidArgument("error reading replay file " + options.path);

  ReplayParts parts;
  parts.source = std::make_unique<ReplaySource>(std::move(events));
  parts.resolver = std::move(resolver);
  parts.bad_lines = bad_lines;
  return parts;
}

}  // namespace kfpevents
