// The outbox's backlog, read in bounded form: a restart or a reload after a long outage reads
// each subscriber's oldest rows, not every row, and learns how many more wait in the store (the
// delivery loop pages those in as it goes).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "store/backend.hpp"

namespace kfpevents::store {

struct PendingHead {
  std::vector<OutboxEntry> rows;              // oldest first
  std::map<std::string, std::size_t> beyond;  // subscriber -> its rows still in the store

  // Every row still to deliver: those read and those left in the store.
  std::size_t Count() const {
    std::size_t count = rows.size();
    for (const auto& [subscriber, more] : beyond) count += more;
    return count;
  }
};

// Each subscriber's oldest `per_subscriber` rows still to deliver; 0 reads every row.
Result<PendingHead> LoadPendingHead(Backend& store, std::size_t per_subscriber);

}  // namespace kfpevents::store
