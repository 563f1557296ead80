// The recorded example runs (examples/events/kfp-runs.jsonl) taken apart for the fake API
// server: the Event objects in order, the Workflow objects by name, and the payloads expected.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kfpevents::testing {

struct ExampleRuns {
  std::vector<std::string> events;               // Event objects (JSON), in recorded order
  std::map<std::string, std::string> workflows;  // Workflow name -> object (JSON)
  std::vector<std::string> expected_bodies;      // the kfp payload of each event, in order
};

ExampleRuns LoadExampleRuns(const std::string& events_file, const std::string& expected_file);

// `json` with the first string member `key` set to `value` (the fixtures are flat enough).
std::string WithField(const std::string& json, const std::string& key, const std::string& value);

}  // namespace kfpevents::testing
