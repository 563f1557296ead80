#include "support/example_runs.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <regex>
#include <stdexcept>

namespace kfpevents::testing {
namespace {

std::string Serialize(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string KindOf(const rapidjson::Value& object) {
  const auto kind = object.FindMember("kind");
  return kind != object.MemberEnd() && kind->value.IsString() ? kind->value.GetString() : "";
}

}  // namespace

ExampleRuns LoadExampleRuns(const std::string& events_file, const std::string& expected_file,
                            std::optional<std::chrono::system_clock::time_point> start) {
  std::optional<Restamper> restamp;
  if (start) restamp.emplace(*start);
  ExampleRuns runs;
  std::ifstream events(events_file);
  if (!events) throw std::runtime_error("cannot open " + events_file);
  for (std::string line; std::getline(events, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (restamp) line = (*restamp)(line);
    rapidjson::Document document;
    document.Parse(line.c_str());
    if (document.HasParseError() || !document.IsObject()) continue;
    const auto object_member = document.FindMember("object");
    const auto type = document.FindMember("type");
    std::string watch_type = "ADDED";
    if (object_member != document.MemberEnd() && type != document.MemberEnd() &&
        type->value.IsString()) {
      watch_type = type->value.GetString();
    }
    if (watch_type != "ADDED" && watch_type != "MODIFIED") continue;  // a bookmark, a deletion
    const rapidjson::Value& object =
        object_member != document.MemberEnd() ? object_member->value : document;
    if (KindOf(object) == "Workflow") {
      const std::string name = object["metadata"]["name"].GetString();
      runs.workflows[name] = Serialize(object);
    } else {
      runs.events.push_back(Serialize(object));
      runs.watch_types.push_back(watch_type);
    }
  }
  if (expected_file.empty()) return runs;
  std::ifstream expected(expected_file);
  for (std::string line; std::getline(expected, line);) runs.expected_bodies.push_back(line);
  if (runs.expected_bodies.size() > runs.events.size()) {
    throw std::runtime_error("more payloads expected than there are example events");
  }
  return runs;
}

std::string TextFieldOf(const std::string& json, const std::string& key) {
  const std::regex pattern("\"" + key + "\":\"([^\"]*)\"");
  std::smatch match;
  return std::regex_search(json, match, pattern) ? match[1].str() : "";
}

std::string WithField(const std::string& json, const std::string& key, const std::string& value) {
  const std::regex pattern("\"" + key + "\":(\"[^\"]*\"|[0-9]+)");
  const std::string replacement = "\"" + key + "\":" + value;
  return std::regex_replace(json, pattern, replacement, std::regex_constants::format_first_only);
}

}  // namespace kfpevents::testing
