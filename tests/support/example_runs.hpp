// The recorded example runs (examples/events/kfp-runs.jsonl) taken apart for the fake API
// server: the Event objects in order, the Workflow objects by name, and the payloads expected.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/restamp.hpp"

namespace kfpevents::testing {

struct ExampleRuns {
  std::vector<std::string> events;  // Event objects (JSON), in recorded order
  // How each arrived on the recorded watch: ADDED, or MODIFIED for an Event Kubernetes updated
  // (a repeat or a combined Event's newest message); bare objects count as ADDED.
  std::vector<std::string> watch_types;
  std::map<std::string, std::string> workflows;  // Workflow name -> object (JSON)
  std::vector<std::string> expected_bodies;      // the kfp payloads expected, in order
};

// `expected_file` "" leaves expected_bodies empty. A KFP 1.x recording expects one payload per
// event; a KFP 2.x one fewer, as its plumbing is not notified. With a `start`, the runs are moved in time to
// begin then (Restamper); std::nullopt keeps the recorded times, for tests of pure functions.
ExampleRuns LoadExampleRuns(const std::string& events_file, const std::string& expected_file,
                            std::optional<std::chrono::system_clock::time_point> start);

// When the tests' recorded runs begin: kRecordingAge before now.
inline std::chrono::system_clock::time_point RecentStart() {
  return std::chrono::system_clock::now() - kRecordingAge;
}

// The first string member `key` of `json`, found textually; "" when absent.
std::string TextFieldOf(const std::string& json, const std::string& key);

// `json` with the first member `key` set to `value`, raw JSON (quote strings yourself).
std::string WithField(const std::string& json, const std::string& key, const std::string& value);

}  // namespace kfpevents::testing
