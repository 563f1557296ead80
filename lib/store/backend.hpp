// What the pipeline needs from a StateStore beyond its public face: grouped writes, key lookups
// and the outbox rows to deliver. Every StateStore the library hands out is a Backend.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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
// What the store keeps of a run it has notified, for as long as it keeps the run's keys: enough
// to name the run after its Workflow is gone (KFP 2.17 deletes finished runs after an hour).
struct RunMemo {
  std::string workflow_uid;
  std::string run_id;   // the pipeline/runid label
  bool kfp_v2 = false;  // tells the run's plumbing from its tasks

  bool operator==(const RunMemo&) const = default;
};

struct Batch {
  std::vector<std::string> notified;                             // transition keys
  std::vector<RunMemo> runs;                                     // runs first seen
  std::vector<OutboxEntry> added;                                // ids are filled in by Apply
  std::vector<std::pair<std::string, std::string>> checkpoints;  // scope -> resourceVersion
  std::vector<std::int64_t> delivered;                           // rows to delete
  std::vector<OutboxEntry> retried;  // id, attempts, next_attempt, last_error
  std::vector<OutboxEntry> dead;     // id, attempts, last_error

  bool empty() const {
    return notified.empty() && runs.empty() && added.empty() && checkpoints.empty() &&
           delivered.empty() && retried.empty() && dead.empty();
  }
};

class Backend : public StateStore {
 public:
  // One transaction, durable on return (as the store's synchronous setting promises).
  // An error means nothing of the batch was committed.
  virtual Status Apply(Batch& batch) = 0;
  // False for a store in memory: a commit costs a lock, not an fsync, so batching commits on a
  // thread of their own gains nothing.
  virtual bool Durable() const { return true; }
  virtual Result<bool> IsNotified(const std::string& key) = 0;
  // The run memo of a workflow uid; nullopt when none is kept. Thread-safe, like IsNotified.
  virtual Result<std::optional<RunMemo>> RunOf(const std::string& workflow_uid) = 0;
  // Every row still to deliver (not dead), oldest first.
  virtual Result<std::vector<OutboxEntry>> LoadPending() = 0;
  // How many rows each subscriber has still to deliver (not dead); subscribers with none are left
  // out.
  virtual Result<std::map<std::string, std::size_t>> CountPending() = 0;
  // A page of them: `subscriber`'s rows after `after_id`, oldest first, at most `limit`.
  virtual Result<std::vector<OutboxEntry>> LoadPendingPage(const std::string& subscriber,
                                                           std::int64_t after_id,
                                                           std::size_t limit) = 0;
  // True when another process (`kfp-eventd outbox ...`) changed the store since the last call.
  virtual bool ChangedElsewhere() = 0;
  // Forgets keys and run memos older than the retention.
  virtual Status Prune() = 0;
  // An error when the store's file was deleted or replaced since it was opened: what is
  // committed from then on would be lost at the next start.
  virtual Status StillOnDisk() = 0;
};

}  // namespace kfpevents::store
