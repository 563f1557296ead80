// What the pipeline needs from a StateStore beyond its public face: grouped writes, key lookups
// and the outbox rows to deliver. Every StateStore the library hands out is a Backend.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kfpevents/state.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::store {

struct OutboxEntry {
  std::int64_t id = 0;  // assigned when the entry is first committed
  std::string subscriber;
  Message message;
  int attempts = 0;  // deliveries tried so far
  TimePoint created;
  TimePoint next_attempt;
  std::string last_error;
};

// Everything one transaction commits. Applied in this order: keys, new entries, checkpoints,
// then the outcomes of deliveries.
struct Batch {
  std::vector<std::string> notified;                             // transition keys
  std::vector<OutboxEntry> added;                                // ids are filled in by Apply
  std::vector<std::pair<std::string, std::string>> checkpoints;  // scope -> resourceVersion
  std::vector<std::int64_t> delivered;                           // rows to delete
  std::vector<OutboxEntry> retried;  // id, attempts, next_attempt, last_error
  std::vector<OutboxEntry> dead;     // id, attempts, last_error

  bool empty() const {
    return notified.empty() && added.empty() && checkpoints.empty() && delivered.empty() &&
           retried.empty() && dead.empty();
  }
};

class Backend : public StateStore {
 public:
  // One transaction, durable on return (as the store's synchronous setting promises).
  // An error means nothing of the batch was committed.
  virtual Status Apply(Batch& batch) = 0;
  virtual Result<bool> IsNotified(const std::string& key) = 0;
  // Every row still to deliver (not dead), oldest first.
  virtual Result<std::vector<OutboxEntry>> LoadPending() = 0;
  // True when another process (`kfp-eventd outbox ...`) changed the store since the last call.
  virtual bool ChangedElsewhere() = 0;
  // Forgets keys older than the retention.
  virtual Status Prune() = 0;
};

}  // namespace kfpevents::store
