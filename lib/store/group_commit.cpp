#include "store/group_commit.hpp"

#include <chrono>

#include "core/failpoint.hpp"
#include "core/thread_name.hpp"

namespace kfpevents::store {
namespace {

// How often the commit thread looks for outbox changes made by `kfp-eventd outbox`.
constexpr std::chrono::seconds kExternalCheck{2};
constexpr std::chrono::hours kPruneEvery{1};

template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to.swap(from);
    return;
  }
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

GroupCommitter::GroupCommitter(Backend& store, GroupCommitOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.logger) options_.logger = MakeNullLogger();
  thread_ = std::jthread([this](std::stop_token stop) {
    NameThisThread("kfp-commit");
    Run(stop);
  });
}

GroupCommitter::~GroupCommitter() { Stop(); }

bool GroupCommitter::Submit(Batch batch, bool wait_for_room, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  if (wait_for_room) {
    changed_.wait(lock, stop, [&] { return !error_.ok() || queue_.size() < options_.max_queued; });
    if (stop.stop_requested()) return false;
  }
  if (!error_.ok()) return false;
  queue_.push_back(std::move(batch));
  ++submitted_;
  lock.unlock();
  changed_.notify_all();
  return true;
}

void GroupCommitter::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  changed_.wait(lock, [&] { return committed_ >= target || !error_.ok(); });
}

Status GroupCommitter::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void GroupCommitter::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  changed_.notify_all();
  thread_.join();
}

Status GroupCommitter::CommitOnce(std::vector<Batch>& taken) {
  Batch merged = std::move(taken.front());
  for (std::size_t i = 1; i < taken.size(); ++i) {
    Batch& next = taken[i];
    MoveAppend(merged.notified, next.notified);
    MoveAppend(merged.runs, next.runs);
    MoveAppend(merged.added, next.added);
    MoveAppend(merged.checkpoints, next.checkpoints);
    MoveAppend(merged.delivered, next.delivered);
    MoveAppend(merged.retried, next.retried);
    MoveAppend(merged.dead, next.dead);
  }
  Failpoint("before-commit");
  if (Status applied = store_.Apply(merged); !applied.ok()) return applied;
  Failpoint("after-commit");
  if (!merged.added.empty() && options_.on_committed) {
    options_.on_committed(std::move(merged.added));
  }
  return Status::Ok();
}

void GroupCommitter::ReloadPending() {
  {
    std::lock_guard lock(mutex_);
    reload_requested_ = true;
  }
  changed_.notify_all();
}

void GroupCommitter::Run(std::stop_token stop) {
  auto next_check = std::chrono::steady_clock::now() + kExternalCheck;
  auto next_prune = std::chrono::steady_clock::now();
  for (;;) {
    std::vector<Batch> taken;
    bool reload = false;
    {
      std::unique_lock lock(mutex_);
      changed_.wait_until(lock, stop, next_check,
                          [&] { return !queue_.empty() || reload_requested_; });
      if (!error_.ok()) return;
      taken.swap(queue_);
      // With batches queued, they are committed first and the reload waits for the next turn.
      reload = taken.empty() && std::exchange(reload_requested_, false);
    }
    changed_.notify_all();  // room in the queue
    if (!taken.empty()) {
      const std::size_t count = taken.size();
      Status committed = CommitOnce(taken);
      std::lock_guard lock(mutex_);
      if (!committed.ok()) {
        error_ = committed;
        options_.logger->Log(LogLevel::kError,
                             committed.message() +
                                 "; stopping intake: nothing more is accepted that cannot be "
                                 "recorded (messages already committed stay in the outbox)");
      }
      committed_ += count;
      changed_.notify_all();
      if (!committed.ok()) {
        if (options_.on_failure) options_.on_failure();
        return;
      }
      continue;  // drain the queue before looking at anything else
    }
    if (stop.stop_requested()) return;
    const auto now = std::chrono::steady_clock::now();
    if (reload || now >= next_check) {
      if (!reload) next_check = now + kExternalCheck;
      // A store deleted or replaced under us is noticed idle too, not only at the next commit.
      if (Status there = store_.StillOnDisk(); !there.ok()) {
        {
          std::lock_guard lock(mutex_);
          error_ = there;
          changed_.notify_all();
        }
        options_.logger->Log(LogLevel::kError, there.message());
        if (options_.on_failure) options_.on_failure();
        return;
      }
      const bool elsewhere = !reload && store_.ChangedElsewhere();
      if ((reload || elsewhere) && options_.on_changed_elsewhere) {
        Result<PendingHead> pending = LoadPendingHead(store_, options_.pending_per_subscriber);
        if (!pending) {
          options_.logger->Log(LogLevel::kWarning,
                               "cannot reload the outbox: " + pending.error().message());
        } else {
          if (elsewhere) {
            options_.logger->Log(LogLevel::kInfo, "the outbox was changed by another process; " +
                                                      std::to_string(pending->Count()) +
                                                      " messages to deliver");
          }
          options_.on_changed_elsewhere(std::move(*pending));
        }
      }
    }
    if (now >= next_prune) {
      next_prune = now + kPruneEvery;
      if (Status pruned = store_.Prune(); !pruned.ok()) {
        options_.logger->Log(LogLevel::kWarning, pruned.message());
      }
    }
  }
}

}  // namespace kfpevents::store
