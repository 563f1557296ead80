#include "deliver/delivery_engine.hpp"

#include <cstdio>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <unordered_set>

#include "core/failpoint.hpp"
#include "core/thread_name.hpp"
#include "deliver/retry_delay.hpp"
#include "http/curl_handle.hpp"
#include "observe/instruments.hpp"

namespace kfpevents::deliver {
namespace {

using WallClock = std::chrono::system_clock;
constexpr std::chrono::milliseconds kMaxPoll{1000};

// "1.0s", "300.0s": for log lines about retry waits.
std::string SecondsText(std::chrono::milliseconds wait) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1fs", static_cast<double>(wait.count()) / 1000.0);
  return text;
}

// Subscribers may be user code: an exception fails this message only.
template <typename Call>
DeliveryResult Guarded(Call&& call) {
  try {
    return call();
  } catch (const std::exception& error) {
    return {DeliveryOutcome::kPermanent, std::string("subscriber threw: ") + error.what(), 0,
            std::nullopt};
  } catch (...) {
    return {DeliveryOutcome::kPermanent, "subscriber threw a non-standard exception", 0,
            std::nullopt};
  }
}

struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};

}  // namespace

class DeliveryEngine::Loop {
 public:
  Loop(SharedSubscriptions subscriptions, EngineOptions options)
      : options_(std::move(options)), random_(std::random_device{}()) {
    options_.metrics = observe::OrPrivate(std::move(options_.metrics));
    if (!options_.clock) options_.clock = SystemClock();
    clock_origin_ = options_.clock->Now();
    http::EnsureCurlInitialized();
    multi_.reset(curl_multi_init());
    CreateLanes(std::move(subscriptions));
    thread_ = std::jthread([this] {
      NameThisThread("kfp-deliver");
      Run();
    });
  }

  ~Loop() { Drain(std::chrono::milliseconds(0)); }

  void Add(std::vector<store::OutboxEntry> entries) {
    {
      std::lock_guard lock(mutex_);
      for (store::OutboxEntry& entry : entries) inbox_.push_back(std::move(entry));
      idle_ = inbox_.empty() && idle_;
    }
    Wake();
  }

  void Reconfigure(SharedSubscriptions subscriptions) {
    {
      std::lock_guard lock(mutex_);
      reconfiguration_ = std::move(subscriptions);
      idle_ = false;
    }
    Wake();
  }

  void Replace(store::PendingHead pending) {
    {
      std::lock_guard lock(mutex_);
      replacement_ = std::move(pending);
      inbox_.clear();
      idle_ = false;
    }
    Wake();
  }

  void WaitIdle(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    idle_changed_.wait(lock, stop, [this] { return idle_; });
  }

  void Drain(std::chrono::milliseconds grace) {
    {
      std::lock_guard lock(mutex_);
      if (!draining_) {
        draining_ = true;
        drain_deadline_ = WallNow() + grace;
      }
    }
    Wake();
    if (thread_.joinable()) thread_.join();
    for (auto& lane : lanes_) StopWorkers(*lane);
    for (auto& lane : retired_) StopWorkers(*lane);
  }

  void CutShort() {
    {
      std::lock_guard lock(mutex_);
      draining_ = true;
      drain_deadline_ = WallNow();
    }
    Wake();
  }

  std::vector<SubscriberReport> Reports() const {
    std::lock_guard lock(mutex_);
    std::vector<SubscriberReport> reports;
    for (const std::string& name : report_order_) reports.push_back(reports_.at(name));
    return reports;
  }

 private:
  struct Entry {
    store::OutboxEntry row;
    std::unique_ptr<CurlTransfer> transfer;  // while a curl transfer is in flight
  };

  struct Lane {
    std::shared_ptr<const Subscription> subscription;
    CurlTransferSource* curl = nullptr;  // null: blocking Deliver on `workers`
    int limit = 1;
    std::deque<std::unique_ptr<Entry>> ready;                          // in order, due
    std::multimap<WallClock::time_point, std::unique_ptr<Entry>> waiting;  // retry timers
    std::map<std::int64_t, std::unique_ptr<Entry>> in_flight;
    std::vector<CurlEasy> idle_handles;          // kept for their connection caches
    SubscriberReport* report = nullptr;          // in reports_, guarded by mutex_
    observe::DeliveryInstruments metrics;

    // Slots taken. With a limit of 1 a message waiting for its retry holds the slot, so the
    // messages after it keep their order.
    int Busy() const {
      return static_cast<int>(in_flight.size()) +
             (limit == 1 ? static_cast<int>(waiting.size()) : 0);
    }
    std::size_t Queued() const { return ready.size() + waiting.size() + in_flight.size(); }

    // Paging (EngineOptions::max_held): the highest row id this lane has held, and whether rows
    // after it wait in the store (how many, as far as this process has seen them go there).
    std::int64_t held_up_to = 0;
    bool spilled = false;
    std::size_t spilled_rows = 0;

    // The blocking workers' hand-over, guarded by its own mutex: one worker per delivery the
    // lane may have in flight.
    std::mutex jobs_mutex;
    std::condition_variable_any jobs_changed;
    std::deque<Entry*> jobs;
    std::vector<std::jthread> workers;
  };

  struct Completion {
    Lane* lane;
    std::int64_t id;
    DeliveryResult result;
  };

  void Wake() {
    if (multi_) curl_multi_wakeup(multi_.get());
  }

  void CreateLanes(SharedSubscriptions subscriptions) {
    for (std::shared_ptr<const Subscription>& subscription : subscriptions) {
      auto lane = std::make_unique<Lane>();
      lane->curl = subscription->subscriber->CurlTransfers();
      // A blocking subscriber takes as many deliveries at once as it says it can.
      lane->limit = std::max(1, subscription->concurrency);
      if (lane->curl == nullptr) {
        lane->limit = std::min(lane->limit,
                               std::max(1, subscription->subscriber->MaxConcurrentDeliveries()));
      }
      lane->metrics = observe::DeliveryInstruments::For(*options_.metrics, subscription->name);
      {
        std::lock_guard lock(mutex_);
        const auto [report, fresh] = reports_.try_emplace(subscription->name);
        if (fresh) {
          report->second.name = subscription->name;
          report_order_.push_back(subscription->name);
        }
        lane->report = &report->second;
      }
      lane->subscription = std::move(subscription);
      lanes_by_name_[lane->subscription->name] = lane.get();
      if (lane->curl == nullptr) {
        for (int i = 0; i < lane->limit; ++i) {
          lane->workers.emplace_back([this, raw = lane.get()](std::stop_token stop) {
            NameThisThread("kfp-sub-" + raw->subscription->name);
            RunBlockingWorker(*raw, stop);
          });
        }
      }
      lanes_.push_back(std::move(lane));
    }
  }

  static void StopWorkers(Lane& lane) {
    for (std::jthread& worker : lane.workers) worker.request_stop();
    lane.jobs_changed.notify_all();
    for (std::jthread& worker : lane.workers) {
      if (worker.joinable()) worker.join();
    }
  }

  // Replaces every lane. Old lanes with deliveries in flight are retired until those finish.
  void ApplyReconfiguration(SharedSubscriptions subscriptions) {
    for (auto& lane : lanes_) {
      lane->ready.clear();
      lane->waiting.clear();
      lane->metrics.depth->Set(0);
      if (lane->in_flight.empty()) {
        StopWorkers(*lane);
      } else {
        retired_.push_back(std::move(lane));
      }
    }
    lanes_.clear();
    lanes_by_name_.clear();
    orphans_.clear();  // report subscribers missing from the new configuration afresh
    CreateLanes(std::move(subscriptions));
  }

  // Retired lanes go once their last delivery has finished.
  void ReleaseRetired() {
    std::erase_if(retired_, [](const std::unique_ptr<Lane>& lane) {
      if (!lane->in_flight.empty()) return false;
      StopWorkers(*lane);
      return true;
    });
  }

  // A retired lane of the same name still delivering: an ordered lane waits for it.
  bool PredecessorBusy(const Lane& lane) const {
    for (const auto& retired : retired_) {
      if (retired->subscription->name == lane.subscription->name) return true;
    }
    return false;
  }

  void RunBlockingWorker(Lane& lane, std::stop_token stop) {
    for (;;) {
      Entry* job = nullptr;
      {
        std::unique_lock lock(lane.jobs_mutex);
        lane.jobs_changed.wait(lock, stop, [&] { return !lane.jobs.empty(); });
        if (lane.jobs.empty()) return;  // stopped
        job = lane.jobs.front();
        lane.jobs.pop_front();
      }
      DeliveryResult result =
          Guarded([&] { return lane.subscription->subscriber->Deliver(job->row.message, stop); });
      {
        std::lock_guard lock(mutex_);
        completions_.push_back({&lane, job->row.id, std::move(result)});
      }
      Wake();
    }
  }

  void Place(std::unique_ptr<Entry> entry, WallClock::time_point now) {
    const auto found = lanes_by_name_.find(entry->row.subscriber);
    if (found == lanes_by_name_.end()) {
      if (orphans_.insert(entry->row.subscriber).second) {
        options_.logger->Log(LogLevel::kWarning,
                             "the outbox holds messages for subscriber \"" + entry->row.subscriber +
                                 "\", which is not configured; they are kept (see `kfp-eventd "
                                 "outbox list`, drop them with `kfp-eventd outbox drop "
                                 "--subscriber " +
                                 entry->row.subscriber + "`)");
      }
      return;
    }
    Lane& lane = *found->second;
    if (options_.max_held > 0) {
      // Rows come in id order: one at or below what the lane held came with a page as well.
      if (entry->row.id <= lane.held_up_to) return;
      if (lane.spilled || lane.Queued() >= options_.max_held) {
        lane.spilled = true;  // it stays in the store until a page brings it back
        ++lane.spilled_rows;
        return;
      }
      lane.held_up_to = entry->row.id;
    }
    Hold(lane, std::move(entry), now);
  }

  // A row never tried is due at once: its next_attempt is only when it was made, on the wall
  // clock, which the engine's clock may trail by a little.
  static void Hold(Lane& lane, std::unique_ptr<Entry> entry, WallClock::time_point now) {
    if (entry->row.attempts > 0 && entry->row.next_attempt > now) {
      const WallClock::time_point due = entry->row.next_attempt;
      lane.waiting.emplace(due, std::move(entry));
    } else {
      lane.ready.push_back(std::move(entry));
    }
  }

  // Lanes whose backlog waits in the store read the next rows once half their room is free.
  void PageIn(WallClock::time_point now) {
    if (options_.max_held == 0 || !options_.page_in) return;
    for (auto& lane : lanes_) {
      if (!lane->spilled || lane->Queued() > options_.max_held / 2) continue;
      const std::size_t room = options_.max_held - lane->Queued();
      Result<std::vector<store::OutboxEntry>> page =
          options_.page_in(lane->subscription->name, lane->held_up_to, room);
      if (!page) {
        options_.logger->Log(LogLevel::kWarning, "subscriber " + lane->subscription->name +
                                                     ": cannot read its backlog from the store (" +
                                                     page.error().message() +
                                                     "); trying again");
        continue;
      }
      if (page->size() < room) lane->spilled = false;  // caught up with the store
      lane->spilled_rows -= std::min(lane->spilled_rows, page->size());
      for (store::OutboxEntry& row : *page) {
        lane->held_up_to = std::max(lane->held_up_to, row.id);
        if (lane->in_flight.count(row.id) != 0) continue;
        Hold(*lane, std::make_unique<Entry>(Entry{std::move(row), nullptr}), now);
      }
    }
  }

  void TakeInbox(std::vector<store::OutboxEntry>& rows,
                 std::optional<store::PendingHead>& replacement,
                 std::optional<SharedSubscriptions>& reconfiguration,
                 std::vector<Completion>& completions, bool& draining,
                 WallClock::time_point& deadline) {
    std::lock_guard lock(mutex_);
    rows.swap(inbox_);
    reconfiguration.swap(reconfiguration_);
    replacement.swap(replacement_);
    completions.swap(completions_);
    draining = draining_;
    deadline = drain_deadline_;
  }

  // Rows of a subscriber that wait in the store after those it was given: its lane pages them in.
  void NoteBeyond(const std::map<std::string, std::size_t>& beyond) {
    for (const auto& [subscriber, more] : beyond) {
      const auto found = lanes_by_name_.find(subscriber);
      if (found == lanes_by_name_.end() || more == 0) continue;
      found->second->spilled = true;
      found->second->spilled_rows += more;
    }
  }

  void ApplyReplacement(store::PendingHead pending, WallClock::time_point now) {
    std::unordered_set<std::int64_t> flying;
    for (auto& lane : lanes_) {
      lane->ready.clear();
      lane->waiting.clear();
      lane->held_up_to = 0;
      lane->spilled = false;
      lane->spilled_rows = 0;
      for (const auto& [id, entry] : lane->in_flight) flying.insert(id);
    }
    for (auto& lane : retired_) {
      for (const auto& [id, entry] : lane->in_flight) flying.insert(id);
    }
    for (store::OutboxEntry& row : pending.rows) {
      if (flying.count(row.id) != 0) continue;
      Place(std::make_unique<Entry>(Entry{std::move(row), nullptr}), now);
    }
    NoteBeyond(pending.beyond);
  }

  void Start(Lane& lane, std::unique_ptr<Entry> entry) {
    ++entry->row.attempts;
    Entry* raw = entry.get();
    const std::int64_t id = entry->row.id;
    lane.in_flight.emplace(id, std::move(entry));
    if (lane.curl == nullptr) {
      {
        std::lock_guard lock(lane.jobs_mutex);
        lane.jobs.push_back(raw);
      }
      lane.jobs_changed.notify_one();
      return;
    }
    CurlEasy reuse;
    if (!lane.idle_handles.empty()) {
      reuse = std::move(lane.idle_handles.back());
      lane.idle_handles.pop_back();
    }
    const DeliveryResult prepared = Guarded([&] {
      Result<std::unique_ptr<CurlTransfer>> transfer =
          lane.curl->Prepare(raw->row.message, std::move(reuse));
      if (!transfer) return PrepareFailed(transfer.error());
      raw->transfer = std::move(*transfer);
      return DeliveryResult::Delivered();
    });
    if (!raw->transfer) {
      Finish(lane, id, prepared);
      return;
    }
    curl_multi_add_handle(multi_.get(), raw->transfer->easy());
    transfers_[raw->transfer->easy()] = {&lane, id};
  }

  void StartDue(WallClock::time_point now) {
    for (auto& lane_ptr : lanes_) {
      Lane& lane = *lane_ptr;
      while (!lane.waiting.empty() && lane.waiting.begin()->first <= now) {
        // Older than anything queued after it: it goes first.
        lane.ready.push_front(std::move(lane.waiting.begin()->second));
        lane.waiting.erase(lane.waiting.begin());
      }
      if (lane.limit == 1 && !lane.ready.empty() && PredecessorBusy(lane)) continue;
      while (!lane.ready.empty() && lane.Busy() < lane.limit) {
        std::unique_ptr<Entry> entry = std::move(lane.ready.front());
        lane.ready.pop_front();
        Start(lane, std::move(entry));
      }
    }
  }

  // Records the outcome of a delivery that was in flight.
  void Finish(Lane& lane, std::int64_t id, const DeliveryResult& result) {
    auto found = lane.in_flight.find(id);
    if (found == lane.in_flight.end()) return;
    finished_some_ = true;
    std::unique_ptr<Entry> entry = std::move(found->second);
    lane.in_flight.erase(found);
    if (entry->transfer) {
      if (CurlEasy handle = entry->transfer->Release()) {
        lane.idle_handles.push_back(std::move(handle));
      }
      entry->transfer.reset();
    }
    const std::string& name = lane.subscription->name;
    store::OutboxEntry& row = entry->row;
    if (result.outcome == DeliveryOutcome::kDelivered) {
      Failpoint("after-send");
      lane.metrics.delivered->Add();
      lane.metrics.latency->Observe(
          std::chrono::duration<double>(WallClock::now() - row.created).count());
      pending_batch_.delivered.push_back(row.id);
      std::lock_guard lock(mutex_);
      ++lane.report->delivered;
      return;
    }
    if (aborting_) {  // stays in the outbox for the next start
      std::lock_guard lock(mutex_);
      ++lane.report->unsent;
      return;
    }
    (result.outcome == DeliveryOutcome::kPermanent ? lane.metrics.permanent
                                                   : lane.metrics.retryable)
        ->Add();
    const std::size_t retries_done = static_cast<std::size_t>(row.attempts - 1);
    row.last_error = result.detail;
    if (result.outcome == DeliveryOutcome::kRetryable &&
        retries_done < options_.retry.backoff.size()) {
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      const std::chrono::milliseconds wait =
          RetryDelay(options_.retry, retries_done, result.retry_after, unit(random_));
      row.next_attempt = WallNow() + wait;
      options_.logger->Log(LogLevel::kWarning,
                           "subscriber " + name + ": message " + row.message.id + ": " +
                               result.detail + "; retry " + std::to_string(retries_done + 1) +
                               " of " + std::to_string(options_.retry.backoff.size()) + " in " +
                               SecondsText(wait));
      pending_batch_.retried.push_back(row);
      lane.metrics.retries->Add();
      {
        std::lock_guard lock(mutex_);
        ++lane.report->retries;
      }
      const WallClock::time_point due = row.next_attempt;
      lane.waiting.emplace(due, std::move(entry));
      return;
    }
    const std::string how = result.outcome == DeliveryOutcome::kPermanent
                                ? "failed permanently"
                                : "failed after " + std::to_string(row.attempts) + " attempts";
    options_.logger->Log(LogLevel::kError,
                         "subscriber " + name + ": message " + row.message.id + " " + how + ": " +
                             result.detail + "; dead-lettered as outbox row " +
                             std::to_string(row.id) + " (kfp-eventd outbox retry --id " +
                             std::to_string(row.id) + ")");
    pending_batch_.dead.push_back(row);
    lane.metrics.dead->Add();
    std::lock_guard lock(mutex_);
    ++lane.report->failed;
    lane.report->last_error = result.detail;
  }

  void ReadCurlMessages() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      curl_multi_remove_handle(multi_.get(), easy);
      const auto found = transfers_.find(easy);
      if (found == transfers_.end()) continue;
      auto [lane, id] = found->second;
      transfers_.erase(found);
      CurlTransfer& transfer = *lane->in_flight.at(id)->transfer;
      const DeliveryResult result = Guarded([&] { return transfer.Finish(code); });
      Finish(*lane, id, result);
    }
  }

  // Stops every delivery in flight; the messages stay in the outbox.
  void AbortInFlight() {
    aborting_ = true;
    for (auto& [easy, where] : transfers_) curl_multi_remove_handle(multi_.get(), easy);
    for (auto& [easy, where] : transfers_) {
      Finish(*where.first, where.second,
             {DeliveryOutcome::kRetryable, "cancelled: shutting down", 0, std::nullopt});
    }
    transfers_.clear();
    for (auto* lanes : {&lanes_, &retired_}) {
      for (auto& lane : *lanes) {
        for (std::jthread& worker : lane->workers) worker.request_stop();
      }
    }
  }

  std::size_t InFlight() const {
    std::size_t count = 0;
    for (const auto& lane : lanes_) count += lane->in_flight.size();
    for (const auto& lane : retired_) count += lane->in_flight.size();
    return count;
  }

  std::chrono::milliseconds PollTimeout(WallClock::time_point now, bool draining) const {
    std::chrono::milliseconds timeout = draining ? std::chrono::milliseconds(50) : kMaxPoll;
    for (const auto& lane : lanes_) {
      if (lane->waiting.empty()) continue;
      const auto until =
          std::chrono::duration_cast<std::chrono::milliseconds>(lane->waiting.begin()->first - now);
      timeout =
          std::clamp(until + std::chrono::milliseconds(1), std::chrono::milliseconds(0), timeout);
    }
    return timeout;
  }

  void Flush() {
    if (pending_batch_.empty()) return;
    options_.record(std::move(pending_batch_));
    pending_batch_ = store::Batch();
  }

  void Run() {
    std::vector<store::OutboxEntry> rows;
    std::optional<store::PendingHead> replacement;
    std::optional<SharedSubscriptions> reconfiguration;
    std::vector<Completion> completions;
    for (;;) {
      bool draining = false;
      WallClock::time_point deadline;
      TakeInbox(rows, replacement, reconfiguration, completions, draining, deadline);
      WallClock::time_point now = WallNow();
      if (reconfiguration) ApplyReconfiguration(std::move(*reconfiguration));
      reconfiguration.reset();
      if (replacement) ApplyReplacement(std::move(*replacement), now);
      replacement.reset();
      for (store::OutboxEntry& row : rows) {
        Place(std::make_unique<Entry>(Entry{std::move(row), nullptr}), now);
      }
      rows.clear();
      for (Completion& done : completions) Finish(*done.lane, done.id, done.result);
      completions.clear();
      ReleaseRetired();
      if (!draining) PageIn(now);

      if (!draining) StartDue(now);
      int running = 0;
      curl_multi_perform(multi_.get(), &running);
      ReadCurlMessages();
      Flush();

      if (draining) {
        if (InFlight() == 0) break;
        if (!aborting_ && WallNow() >= deadline) AbortInFlight();
        Flush();
      }
      UpdateIdle();
      // A delivery that just ended may have freed a slot: start the next one before waiting.
      const bool finished_some = std::exchange(finished_some_, false);
      if (finished_some && !draining) continue;
      curl_multi_poll(multi_.get(), nullptr, 0,
                      static_cast<int>(PollTimeout(WallNow(), draining).count()), nullptr);
    }
    std::lock_guard lock(mutex_);
    for (auto& lane : lanes_) {
      lane->report->unsent += lane->ready.size() + lane->waiting.size() + lane->spilled_rows;
    }
    idle_ = true;
    idle_changed_.notify_all();
  }

  // Idle: nothing in the lanes, and nothing handed over since the loop last looked.
  void UpdateIdle() {
    bool idle = true;
    for (const auto& lane : lanes_) {
      idle &= lane->Queued() == 0 && !lane->spilled;
      // What waits in the store counts too: the backlog, not what memory holds of it.
      lane->metrics.depth->Set(static_cast<double>(lane->Queued() + lane->spilled_rows));
    }
    idle &= retired_.empty();
    std::lock_guard lock(mutex_);
    idle &= inbox_.empty() && !replacement_ && !reconfiguration_ && completions_.empty();
    if (idle_ != idle) {
      idle_ = idle;
      idle_changed_.notify_all();
    }
  }

  // Wall time as the clock sees it pass: the rows' times are wall times.
  WallClock::time_point WallNow() const {
    return wall_origin_ +
           std::chrono::duration_cast<WallClock::duration>(options_.clock->Now() - clock_origin_);
  }

  EngineOptions options_;
  const WallClock::time_point wall_origin_ = WallClock::now();
  std::chrono::steady_clock::time_point clock_origin_;
  std::unique_ptr<CURLM, MultiDeleter> multi_;
  std::mt19937_64 random_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::vector<std::unique_ptr<Lane>> retired_;  // replaced, with deliveries still in flight
  std::map<std::string, Lane*> lanes_by_name_;
  std::set<std::string> orphans_;  // rows for subscribers no longer configured (warned once)
  std::map<CURL*, std::pair<Lane*, std::int64_t>> transfers_;
  store::Batch pending_batch_;  // outcomes not yet handed to `record`
  bool aborting_ = false;
  bool finished_some_ = false;  // a delivery ended in this turn of the loop

  // Shared with other threads.
  mutable std::mutex mutex_;
  std::condition_variable_any idle_changed_;
  std::vector<store::OutboxEntry> inbox_;
  std::optional<store::PendingHead> replacement_;
  std::optional<SharedSubscriptions> reconfiguration_;
  std::vector<Completion> completions_;
  std::map<std::string, SubscriberReport> reports_;  // by subscription name
  std::vector<std::string> report_order_;
  bool draining_ = false;
  WallClock::time_point drain_deadline_;
  bool idle_ = true;

  std::jthread thread_;  // last: starts after everything above exists
};

SharedSubscriptions Share(std::vector<Subscription> subscriptions) {
  SharedSubscriptions shared;
  for (Subscription& subscription : subscriptions) {
    shared.push_back(std::make_shared<const Subscription>(std::move(subscription)));
  }
  return shared;
}

DeliveryEngine::DeliveryEngine(SharedSubscriptions subscriptions, EngineOptions options) {
  if (!options.logger) options.logger = MakeNullLogger();
  if (!options.record) options.record = [](store::Batch) {};
  loop_ = std::make_unique<Loop>(std::move(subscriptions), std::move(options));
}

DeliveryEngine::~DeliveryEngine() = default;

void DeliveryEngine::Add(std::vector<store::OutboxEntry> entries) {
  loop_->Add(std::move(entries));
}
void DeliveryEngine::Reconfigure(SharedSubscriptions subscriptions) {
  loop_->Reconfigure(std::move(subscriptions));
}
void DeliveryEngine::Replace(store::PendingHead pending) { loop_->Replace(std::move(pending)); }
void DeliveryEngine::CutShort() { loop_->CutShort(); }
void DeliveryEngine::WaitIdle(std::stop_token stop) { loop_->WaitIdle(stop); }
void DeliveryEngine::Drain(std::chrono::milliseconds grace) { loop_->Drain(grace); }
std::vector<SubscriberReport> DeliveryEngine::Reports() const { return loop_->Reports(); }

}  // namespace kfpevents::deliver
