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

// `expected_file` "" leaves expected_bodies empty.
ExampleRuns LoadExampleRuns(const std::string& events_file, const std::string& expected_file);

// The first string member `key` of `json`, found textually; "" when absent.
std::string TextFieldOf(const std::string& json, const std::string& key);

// `json` with the first member `key` set to `value`, raw JSON (quote strings yourself).
std::string WithField(const std::string& json, const std::string& key, const std::string& value);

}  // namespace kfpevents::testing
