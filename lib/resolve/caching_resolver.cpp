// A least-recently-used cache of workflow summaries in front of another resolver.
#include <list>
#include <unordered_map>

#include "kfpevents/kube.hpp"
#include "resolve/freshness.hpp"

namespace kfpevents {
namespace {

class CachingResolver final : public WorkflowResolver {
 public:
  CachingResolver(std::unique_ptr<WorkflowResolver> inner, WorkflowCacheLimits limits)
      : inner_(std::move(inner)), limits_(limits) {}

  Result<WorkflowInfo> Resolve(const WorkflowRef& ref, std::stop_token stop) override {
    const std::string key = ref.uid.empty() ? ref.namespace_name + "/" + ref.name : ref.uid;
    const auto found = index_.find(key);
    if (found != index_.end() && resolve::SummaryKnows(found->second->info, ref)) {
      entries_.splice(entries_.begin(), entries_, found->second);  // now most recently used
      return found->second->info;
    }
    Result<WorkflowInfo> fetched = inner_->Resolve(ref, stop);
    if (!fetched) {
      if (found == index_.end()) return fetched;
      const ErrorCode code = fetched.error().code();
      if (code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout) {
        return found->second->info;  // an older copy beats none while the API server is away
      }
      if (code == ErrorCode::kNotFound) Erase(found);
      return fetched;
    }
    if (found != index_.end()) Erase(found);
    Entry entry{key, *fetched, resolve::EstimateBytes(*fetched)};
    if (entry.bytes <= limits_.max_bytes && limits_.max_entries > 0) {
      bytes_ += entry.bytes;
      entries_.push_front(std::move(entry));
      index_[key] = entries_.begin();
      EvictBeyondLimits();
    }
    return fetched;
  }

 private:
  struct Entry {
    std::string key;
    WorkflowInfo info;
    std::size_t bytes;
  };
  using Index = std::unordered_map<std::string, std::list<Entry>::iterator>;

  void Erase(Index::iterator found) {
    bytes_ -= found->second->bytes;
    entries_.erase(found->second);
    index_.erase(found);
  }

  void EvictBeyondLimits() {
    while (entries_.size() > limits_.max_entries || bytes_ > limits_.max_bytes) {
      Erase(index_.find(entries_.back().key));
    }
  }

  std::unique_ptr<WorkflowResolver> inner_;
  WorkflowCacheLimits limits_;
  std::list<Entry> entries_;  // most recently used first
  Index index_;
  std::size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<WorkflowResolver> MakeCachingResolver(std::unique_ptr<WorkflowResolver> inner,
                                                      WorkflowCacheLimits limits) {
  return std::make_unique<CachingResolver>(std::move(inner), limits);
}

}  // namespace kfpevents
