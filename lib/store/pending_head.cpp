#include "store/pending_head.hpp"

#include <algorithm>

namespace kfpevents::store {

Result<PendingHead> LoadPendingHead(Backend& store, std::size_t per_subscriber) {
  PendingHead head;
  if (per_subscriber == 0) {
    Result<std::vector<OutboxEntry>> all = store.LoadPending();
    if (!all) return all.error();
    head.rows = std::move(*all);
    return head;
  }
  Result<std::map<std::string, std::size_t>> counts = store.CountPending();
  if (!counts) return counts.error();
  for (const auto& [subscriber, count] : *counts) {
    Result<std::vector<OutboxEntry>> page = store.LoadPendingPage(subscriber, 0, per_subscriber);
    if (!page) return page.error();
    if (count > page->size()) head.beyond[subscriber] = count - page->size();
    head.rows.insert(head.rows.end(), std::make_move_iterator(page->begin()),
                     std::make_move_iterator(page->end()));
  }
  std::sort(head.rows.begin(), head.rows.end(),
            [](const OutboxEntry& a, const OutboxEntry& b) { return a.id < b.id; });
  return head;
}

}  // namespace kfpevents::store
