// The state dir's guards: an exclusive lock, so that two daemons never share one store (both
// would deliver everything), whose file also records when the last commit happened (which
// survives damage to state.db itself); and the identity of state.db, to notice it deleted or
// replaced under a running daemon.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "kfpevents/state.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents::store {

class StateDirLock {
 public:
  // flock(LOCK_EX | LOCK_NB) on dir/state.lock (created 0600), which then holds this pid and
  // the time of the last commit. kUnavailable, naming the holder's pid, when another process
  // holds it.
  static Result<StateDirLock> Acquire(const std::string& dir);

  StateDirLock(StateDirLock&& other) noexcept;
  StateDirLock& operator=(StateDirLock&& other) noexcept;
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;
  ~StateDirLock();  // releases the lock

  // When the process before this one last committed; nullopt when none did.
  std::optional<TimePoint> previous_commit() const { return previous_commit_; }
  // Records a commit at now (one write to the lock file, no sync).
  void MarkCommit() const;

 private:
  StateDirLock(int fd, std::optional<TimePoint> previous_commit)
      : fd_(fd), previous_commit_(previous_commit) {}
  int fd_ = -1;
  std::optional<TimePoint> previous_commit_;
};

// A file's device and inode: equal identities are the same file.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;

  // nullopt when the file does not exist (or cannot be looked at).
  static std::optional<FileIdentity> Of(const std::string& path);
  bool operator==(const FileIdentity&) const = default;
};

}  // namespace kfpevents::store
