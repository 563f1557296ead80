// Group commit: batches from the intake and from the delivery loop queue up while a commit is
// under way and go into the next transaction together, so one fsync serves many events.
// Committed new rows are handed on for delivery only after their commit.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "kfpevents/logger.hpp"
#include "store/backend.hpp"
#include "store/pending_head.hpp"

namespace kfpevents::store {

struct GroupCommitOptions {
  // Receives the rows a commit added, in order. Called on the commit thread.
  std::function<void(std::vector<OutboxEntry>)> on_committed;
  // Another process changed the outbox (or ReloadPending): what is still to deliver, at most
  // `pending_per_subscriber` rows of each subscriber (0: all). Called on the commit thread.
  std::function<void(PendingHead)> on_changed_elsewhere;
  // Called once, on the commit thread, when a commit fails (the committer then stops).
  std::function<void()> on_failure;
  std::shared_ptr<Logger> logger;
  std::size_t max_queued = 4096;  // batches; Submit(wait_for_room) blocks beyond this
  std::size_t pending_per_subscriber = 0;  // see on_changed_elsewhere
};

class GroupCommitter {
 public:
  GroupCommitter(Backend& store, GroupCommitOptions options);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;
  ~GroupCommitter();  // commits what is queued, then stops

  // Queues `batch` for the next commit. With `wait_for_room`, blocks while the queue is full.
  // False once a commit has failed (see error()) or `stop` was requested while waiting.
  bool Submit(Batch batch, bool wait_for_room, std::stop_token stop = {});
  // Waits until everything submitted so far is committed (or a commit failed).
  void Flush();
  // The failure that stopped the committer, OK while it works.
  Status error() const;
  // Commits what is queued and joins the thread.
  void Stop();
  // Loads what is still to deliver and hands it to on_changed_elsewhere, on the commit thread
  // (so after every row committed so far was handed to on_committed).
  void ReloadPending();

 private:
  void Run(std::stop_token stop);
  Status CommitOnce(std::vector<Batch>& taken);

  Backend& store_;
  GroupCommitOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<Batch> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t committed_ = 0;
  bool reload_requested_ = false;
  Status error_;
  std::jthread thread_;  // last
};

}  // namespace kfpevents::store
