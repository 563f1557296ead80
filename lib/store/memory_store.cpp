// The StateStore for replays and for running without --state-dir: the same semantics as the
// SQLite store for as long as the process lives.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "store/backend.hpp"

namespace kfpevents {
namespace {

class MemoryStore final : public store::Backend {
 public:
  explicit MemoryStore(std::chrono::milliseconds look_back)
      : baseline_(std::chrono::system_clock::now() - look_back) {}

  bool fresh() const override { return true; }
  TimePoint baseline() const override { return baseline_; }

  Result<std::map<std::string, std::string>> Checkpoints() override {
    std::lock_guard lock(mutex_);
    return checkpoints_;
  }

  Status Apply(store::Batch& batch) override {
    std::lock_guard lock(mutex_);
    const TimePoint now = std::chrono::system_clock::now();
    for (const std::string& key : batch.notified) notified_.emplace(key, now);
    for (const store::RunMemo& run : batch.runs) runs_[run.workflow_uid] = {run, now};
    for (store::OutboxEntry& entry : batch.added) {
      entry.id = ++last_id_;
      rows_.emplace(entry.id, Row{entry, false});
    }
    for (const auto& [scope, version] : batch.checkpoints) checkpoints_[scope] = version;
    for (const std::int64_t id : batch.delivered) rows_.erase(id);
    for (const store::OutboxEntry& entry : batch.retried) {
      if (auto it = rows_.find(entry.id); it != rows_.end()) {
        it->second.entry.attempts = entry.attempts;
        it->second.entry.next_attempt = entry.next_attempt;
        it->second.entry.last_error = entry.last_error;
      }
    }
    for (const store::OutboxEntry& entry : batch.dead) {
      if (auto it = rows_.find(entry.id); it != rows_.end()) {
        it->second.entry.attempts = entry.attempts;
        it->second.entry.last_error = entry.last_error;
        it->second.dead = true;
      }
    }
    return Status::Ok();
  }

  Result<bool> IsNotified(const std::string& key) override {
    std::lock_guard lock(mutex_);
    return notified_.count(key) != 0;
  }

  Result<std::optional<store::RunMemo>> RunOf(const std::string& workflow_uid) override {
    std::lock_guard lock(mutex_);
    const auto found = runs_.find(workflow_uid);
    if (found == runs_.end()) return std::optional<store::RunMemo>();
    return std::optional<store::RunMemo>(found->second.first);
  }

  Result<std::vector<store::OutboxEntry>> LoadPending() override {
    std::lock_guard lock(mutex_);
    std::vector<store::OutboxEntry> pending;
    for (const auto& [id, row] : rows_) {
      if (!row.dead) pending.push_back(row.entry);
    }
    return pending;
  }

  Result<std::map<std::string, std::size_t>> CountPending() override {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::size_t> counts;
    for (const auto& [id, row] : rows_) {
      if (!row.dead) ++counts[row.entry.subscriber];
    }
    return counts;
  }

  Result<std::vector<store::OutboxEntry>> LoadPendingPage(const std::string& subscriber,
                                                          std::int64_t after_id,
                                                          std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<store::OutboxEntry> page;
    for (auto it = rows_.upper_bound(after_id); it != rows_.end() && page.size() < limit; ++it) {
      if (!it->second.dead && it->second.entry.subscriber == subscriber) {
        page.push_back(it->second.entry);
      }
    }
    return page;
  }

  Status StillOnDisk() override { return Status::Ok(); }
  bool Durable() const override { return false; }

  bool ChangedElsewhere() override {
    std::lock_guard lock(mutex_);
    return std::exchange(changed_by_admin_, false);
  }

  Status Prune() override {
    std::lock_guard lock(mutex_);
    const TimePoint cutoff = std::chrono::system_clock::now() - kRetention;
    std::erase_if(notified_, [&](const auto& item) { return item.second < cutoff; });
    std::erase_if(runs_, [&](const auto& item) { return item.second.second < cutoff; });
    return Status::Ok();
  }

  Result<std::vector<OutboxItem>> ListOutbox(const OutboxFilter& filter) override {
    std::lock_guard lock(mutex_);
    std::vector<OutboxItem> items;
    for (const auto& [id, row] : rows_) {
      if (!Matches(filter, id, row)) continue;
      const store::OutboxEntry& entry = row.entry;
      items.push_back({id, entry.subscriber, entry.message.id, entry.message.body.size(),
                       entry.attempts, entry.created, entry.next_attempt, entry.last_error,
                       row.dead});
    }
    return items;
  }

  Result<std::size_t> RetryOutbox(const OutboxFilter& filter) override {
    std::lock_guard lock(mutex_);
    std::size_t changed = 0;
    for (auto& [id, row] : rows_) {
      if (!Matches(filter, id, row)) continue;
      row.dead = false;
      row.entry.attempts = 0;
      row.entry.next_attempt = std::chrono::system_clock::now();
      ++changed;
    }
    changed_by_admin_ |= changed != 0;
    return changed;
  }

  Result<std::size_t> DropOutbox(const OutboxFilter& filter) override {
    std::lock_guard lock(mutex_);
    const std::size_t changed = std::erase_if(
        rows_, [&](const auto& item) { return Matches(filter, item.first, item.second); });
    changed_by_admin_ |= changed != 0;
    return changed;
  }

 private:
  struct Row {
    store::OutboxEntry entry;
    bool dead = false;
  };

  static bool Matches(const OutboxFilter& filter, std::int64_t id, const Row& row) {
    if (!filter.subscriber.empty() && row.entry.subscriber != filter.subscriber) return false;
    if (filter.dead_only && !row.dead) return false;
    return filter.ids.empty() ||
           std::find(filter.ids.begin(), filter.ids.end(), id) != filter.ids.end();
  }

  static constexpr std::chrono::hours kRetention{24 * 7};  // as StateStoreOptions' default
  const TimePoint baseline_;
  std::mutex mutex_;
  std::unordered_map<std::string, TimePoint> notified_;
  std::unordered_map<std::string, std::pair<store::RunMemo, TimePoint>> runs_;  // by uid
  std::map<std::int64_t, Row> rows_;  // ordered by id: oldest first
  std::map<std::string, std::string> checkpoints_;
  std::int64_t last_id_ = 0;
  bool changed_by_admin_ = false;
};

}  // namespace

StateStore::~StateStore() = default;

std::shared_ptr<StateStore> MakeMemoryStateStore(std::chrono::milliseconds look_back) {
  return std::make_shared<MemoryStore>(look_back);
}

}  // namespace kfpevents
