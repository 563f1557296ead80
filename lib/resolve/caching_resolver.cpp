// A least-recently-used cache of workflow summaries in front of another resolver. Summaries are
// kept packed (resolve/packed_summary.hpp) and unpacked for each lookup.
#include <deque>
#include <list>
#include <mutex>
#include <unordered_map>

#include "kfpevents/kube.hpp"
#include "observe/instruments.hpp"
#include "resolve/freshness.hpp"
#include "resolve/packed_summary.hpp"

namespace kfpevents {
namespace {

class LruCachingResolver final : public CachingResolver {
 public:
  LruCachingResolver(std::unique_ptr<WorkflowResolver> inner, WorkflowCacheLimits limits,
                     std::shared_ptr<MetricsRegistry> metrics)
      : inner_(std::move(inner)),
        limits_(limits),
        registry_(observe::OrPrivate(std::move(metrics))),
        metrics_(observe::ResolverInstruments::For(*registry_)) {}

  void Remember(WorkflowInfo workflow) override {
    std::lock_guard lock(mutex_);
    DropDeleted();
    std::string key =
        workflow.uid.empty() ? workflow.namespace_name + "/" + workflow.name : workflow.uid;
    if (const auto found = index_.find(key); found != index_.end()) Erase(found);
    Insert(std::move(key), workflow);
  }

  void Forget(const std::string& uid) override {
    std::lock_guard lock(mutex_);
    deleted_.emplace_back(std::chrono::steady_clock::now() + limits_.keep_deleted, uid);
    DropDeleted();
  }

  Result<WorkflowInfo> Resolve(const WorkflowRef& ref, std::stop_token stop) override {
    const std::string key = ref.uid.empty() ? ref.namespace_name + "/" + ref.name : ref.uid;
    std::unique_lock lock(mutex_);
    DropDeleted();
    auto found = index_.find(key);
    if (found != index_.end()) {
      WorkflowInfo cached = resolve::UnpackSummary(found->second->packed);
      if (resolve::SummaryKnows(cached, ref)) {
        entries_.splice(entries_.begin(), entries_, found->second);  // now most recently used
        metrics_.hits->Add();
        return cached;
      }
    }
    metrics_.misses->Add();
    lock.unlock();  // no lock held across the network
    Result<WorkflowInfo> fetched = inner_->Resolve(ref, stop);
    lock.lock();
    found = index_.find(key);  // the watch may have changed it meanwhile
    if (!fetched) {
      if (found == index_.end()) return fetched;
      const ErrorCode code = fetched.error().code();
      if (code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout) {
        // An older copy beats none while the API server is away.
        return resolve::UnpackSummary(found->second->packed);
      }
      if (code == ErrorCode::kNotFound) Erase(found);
      return fetched;
    }
    if (found != index_.end()) Erase(found);
    Insert(key, *fetched);
    return fetched;
  }

 private:
  struct Entry {
    std::string key;
    std::string packed;
    std::size_t bytes;  // the entry's share of the cache's memory
  };
  // An entry's list node and index slot, beyond its strings.
  static constexpr std::size_t kEntryOverhead = sizeof(Entry) + 2 * sizeof(void*) + 64;
  using Index = std::unordered_map<std::string, std::list<Entry>::iterator>;

  void Erase(Index::iterator found) {
    bytes_ -= found->second->bytes;
    entries_.erase(found->second);
    index_.erase(found);
    metrics_.entries->Set(static_cast<double>(entries_.size()));
  }

  void Insert(std::string key, const WorkflowInfo& info) {
    Entry entry{std::move(key), resolve::PackSummary(info), 0};
    entry.bytes = kEntryOverhead + 2 * entry.key.capacity() + entry.packed.capacity();
    if (entry.bytes > limits_.max_bytes || limits_.max_entries == 0) return;
    bytes_ += entry.bytes;
    entries_.push_front(std::move(entry));
    index_[entries_.front().key] = entries_.begin();
    EvictBeyondLimits();
    metrics_.entries->Set(static_cast<double>(entries_.size()));
  }

  // Drops the summaries of Workflows deleted longer ago than keep_deleted.
  void DropDeleted() {
    const auto now = std::chrono::steady_clock::now();
    while (!deleted_.empty() && deleted_.front().first <= now) {
      if (const auto found = index_.find(deleted_.front().second); found != index_.end()) {
        Erase(found);
      }
      deleted_.pop_front();
    }
  }

  void EvictBeyondLimits() {
    while (entries_.size() > limits_.max_entries || bytes_ > limits_.max_bytes) {
      Erase(index_.find(entries_.back().key));
    }
  }

  std::unique_ptr<WorkflowResolver> inner_;
  WorkflowCacheLimits limits_;
  const std::shared_ptr<MetricsRegistry> registry_;
  const observe::ResolverInstruments metrics_;
  std::mutex mutex_;          // the pipeline resolves while the Workflow watch remembers
  std::list<Entry> entries_;  // most recently used first
  Index index_;
  std::size_t bytes_ = 0;
  // Deleted Workflows' uids, each with when its summary goes, in that order.
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> deleted_;
};

}  // namespace

std::unique_ptr<CachingResolver> MakeCachingResolver(std::unique_ptr<WorkflowResolver> inner,
                                                     WorkflowCacheLimits limits,
                                                     std::shared_ptr<MetricsRegistry> metrics) {
  return std::make_unique<LruCachingResolver>(std::move(inner), limits, std::move(metrics));
}

}  // namespace kfpevents
