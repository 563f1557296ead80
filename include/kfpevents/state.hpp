// StateStore: what survives a restart. The watch checkpoints, the keys of the notifications
// already made, and the outbox of messages not yet delivered (per subscriber).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

using TimePoint = std::chrono::system_clock::time_point;

struct StateStoreOptions {
  std::string dir;  // holds state.db (created with its parents when missing)
  // FULL: every commit is on disk before a message is sent. NORMAL: faster, but a power loss
  // (not a process crash) can forget the last commits, so a few notifications may repeat.
  bool synchronous_full = true;
  // A new store's baseline lies this far back: transitions after it are news (--since).
  std::chrono::milliseconds look_back{0};
  // Keys of notifications older than this are forgotten, and transitions older than this are
  // never notified from Workflow status.
  std::chrono::hours retention{24 * 7};
  // A damaged database is moved aside and replaced (the daemon); false: reported as an error
  // and left alone (tools that only look, like `kfp-eventd outbox`).
  bool replace_damaged = true;
  // Take the state dir's lock (state.lock): a second process asking for it is refused, naming
  // the holder's pid. The daemon locks; `kfp-eventd outbox` commands work beside it unlocked.
  bool exclusive = true;
  std::shared_ptr<Logger> logger;
};

// One message in the outbox, as `kfp-eventd outbox list` shows it.
struct OutboxItem {
  std::int64_t id = 0;
  std::string subscriber;
  std::string message_id;
  std::size_t body_bytes = 0;
  int attempts = 0;
  TimePoint created;
  TimePoint next_attempt;
  std::string last_error;
  bool dead = false;  // the retry budget was spent; waits for `outbox retry` or `outbox drop`

  bool operator==(const OutboxItem&) const = default;
};

// Which outbox rows an operation applies to; every set field must match.
struct OutboxFilter {
  std::string subscriber;         // "" = any
  std::vector<std::int64_t> ids;  // empty = any
  bool dead_only = false;
};

namespace store {
class Backend;
}  // namespace store

// Obtain one from OpenStateStore or MakeMemoryStateStore; the pipeline drives the rest.
// Sealed: only the library's own stores implement it (their commits are the pipeline's), so a
// store a program passes in is always one the pipeline can drive. Thread-safe.
class KFPEVENTS_EXPORT StateStore {
 public:
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;
  virtual ~StateStore();

  // True when this store was created by this process: its first start is a baseline.
  virtual bool fresh() const = 0;
  // Transitions before this moment are never notified (what the first start found, less the
  // look-back).
  virtual TimePoint baseline() const = 0;
  // Where each watch may resume: scope ("*" for all namespaces, else the namespace) ->
  // resourceVersion of the last Event whose handling was committed.
  virtual Result<std::map<std::string, std::string>> Checkpoints() = 0;

  virtual Result<std::vector<OutboxItem>> ListOutbox(const OutboxFilter& filter) = 0;
  // Makes the matching messages due now with a fresh retry budget (dead letters included).
  virtual Result<std::size_t> RetryOutbox(const OutboxFilter& filter) = 0;
  virtual Result<std::size_t> DropOutbox(const OutboxFilter& filter) = 0;

 private:
  friend class store::Backend;
  StateStore() = default;
};

// Opens (or creates) `options.dir`/state.db: SQLite in WAL mode, owner-only files (a folder it
// creates is 0700). A database that cannot be read, fails its integrity check, is empty (0 bytes),
// or is missing where state.lock shows an earlier process committed, is damage: it is moved
// aside (state.db.corrupt-<time>) with an error in the log, and a new store starts from the old
// one's last commit, less a minute, as a restart and not a first start (StateStore::fresh()
// false), so what happened after that commit is still notified. A store whose state.db is
// deleted or replaced while open fails its next commit (and the daemon stops, saying so).
// Errors: the folder cannot be created or written; kUnavailable: another process holds the lock.
KFPEVENTS_EXPORT Result<std::shared_ptr<StateStore>> OpenStateStore(StateStoreOptions options);

// A store that lives as long as the process: for replays and for running without a state dir.
KFPEVENTS_EXPORT std::shared_ptr<StateStore> MakeMemoryStateStore(
    std::chrono::milliseconds look_back = std::chrono::milliseconds(0));

}  // namespace kfpevents
