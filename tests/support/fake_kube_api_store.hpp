// What the fake API server holds, shared by its source files.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "support/fake_kube_api.hpp"

namespace kfpevents::testing {

struct FakeKubeApi::Store {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<RecordedRequest> requests;
  std::string token;
  std::vector<std::string> events;
  std::string list_version = "1";
  std::set<std::string> expired;
  std::deque<int> list_failures;
  std::deque<WatchScript> watches;
  std::map<std::string, std::string> workflows;  // "ns/name" -> JSON
  std::string workflow_list_version = "1";
  std::deque<WatchScript> workflow_watches;
  std::map<std::string, std::string> leases;  // "ns/name" -> JSON
  std::uint64_t lease_version = 1000;
  bool leases_unavailable = false;
  std::string leases_unavailable_token;  // "" = for every client
  std::atomic<bool> stopping{false};
};

}  // namespace kfpevents::testing
