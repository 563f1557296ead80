// A least-recently-used cache of workflow summaries in front of another resolver. Summaries are
// kept packed (resolve/packed_summary.hpp); the few used last are also kept unpacked and shared,
// so the events of a run that is moving (a dozen for each step) share one summary.
#include <algorithm>
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
    auto shared = std::make_shared<const WorkflowInfo>(std::move(workflow));
    std::lock_guard lock(mutex_);
    DropDeleted();
    std::string key =
        shared->uid.empty() ? shared->namespace_name + "/" + shared->name : shared->uid;
    if (const auto found = index_.find(key); found != index_.end()) Erase(found);
    Insert(std::move(key), std::move(shared));
  }

  void Forget(const std::string& uid) override {
    std::lock_guard lock(mutex_);
    deleted_.emplace_back(std::chrono::steady_clock::now() + limits_.keep_deleted, uid);
    DropDeleted();
  }

  Result<SharedWorkflowInfo> Resolve(const WorkflowRef& ref, std::stop_token stop) override {
    const std::string key = ref.uid.empty() ? ref.namespace_name + "/" + ref.name : ref.uid;
    std::unique_lock lock(mutex_);
    DropDeleted();
    auto found = index_.find(key);
    if (found != index_.end()) {
      SharedWorkflowInfo cached = Unpacked(*found->second);
      if (resolve::SummaryKnows(*cached, ref)) {
        entries_.splice(entries_.begin(), entries_, found->second);  // now most recently used
        metrics_.hits->Add();
        return cached;
      }
    }
    metrics_.misses->Add();
    lock.unlock();  // no lock held across the network
    Result<SharedWorkflowInfo> fetched = inner_->Resolve(ref, stop);
    lock.lock();
    found = index_.find(key);  // the watch may have changed it meanwhile
    if (!fetched) {
      if (found == index_.end()) return fetched;
      const ErrorCode code = fetched.error().code();
      if (code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout) {
        // An older copy beats none while the API server is away.
        return Unpacked(*found->second);
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
    SharedWorkflowInfo unpacked;  // for the kRecent entries used last; null for the rest
  };
  // How many entries keep their summary unpacked as well: a few runs moving at once.
  static constexpr std::size_t kRecent = 8;
  // An entry's list node and index slot, beyond its strings.
  static constexpr std::size_t kEntryOverhead = sizeof(Entry) + 2 * sizeof(void*) + 64;
  using Index = std::unordered_map<std::string, std::list<Entry>::iterator>;

  // The entry's summary, unpacked once while it is among the kRecent used last.
  SharedWorkflowInfo Unpacked(Entry& entry) {
    if (!entry.unpacked)
      KeepUnpacked(entry,
                   std::make_shared<const WorkflowInfo>(resolve::UnpackSummary(entry.packed)));
    return entry.unpacked;
  }

  void KeepUnpacked(Entry& entry, SharedWorkflowInfo summary) {
    entry.unpacked = std::move(summary);
    recent_.push_back(entry.key);
    while (recent_.size() > kRecent) {
      if (const auto old = index_.find(recent_.front());
          old != index_.end() && std::count(recent_.begin(), recent_.end(), old->first) == 1) {
        old->second->unpacked.reset();
      }
      recent_.pop_front();
    }
  }

  void Erase(Index::iterator found) {
    bytes_ -= found->second->bytes;
    entries_.erase(found->second);
    index_.erase(found);
    metrics_.entries->Set(static_cast<double>(entries_.size()));
  }

  void Insert(std::string key, SharedWorkflowInfo info) {
    Entry entry{std::move(key), resolve::PackSummary(*info), 0, nullptr};
    entry.bytes = kEntryOverhead + 2 * entry.key.capacity() + entry.packed.capacity();
    if (entry.bytes > limits_.max_bytes || limits_.max_entries == 0) return;
    bytes_ += entry.bytes;
    entries_.push_front(std::move(entry));
    index_[entries_.front().key] = entries_.begin();
    KeepUnpacked(entries_.front(), std::move(info));
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
  std::deque<std::string> recent_;  // keys of the entries kept unpacked, oldest first
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
