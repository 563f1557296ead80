#include "outbox/outbox.hpp"

namespace kfpevents::outbox {
namespace {

deliver::EngineOptions EngineOptionsOf(OutboxOptions& options, store::Backend& store,
                                       store::GroupCommitter& committer) {
  deliver::EngineOptions engine;
  engine.retry = options.retry;
  engine.logger = options.logger;
  engine.metrics = options.metrics;
  engine.clock = options.clock;
  // Outcomes never wait for room: the delivery thread must not block on the intake's backlog.
  // They go to the committer's thread in every store: the delivery loop never waits for one.
  engine.record = [&committer](store::Batch outcomes) {
    committer.Submit(std::move(outcomes), /*wait_for_room=*/false);
  };
  engine.max_held = options.max_held;
  engine.page_in = [&store](const std::string& subscriber, std::int64_t after_id,
                            std::size_t limit) {
    return store.LoadPendingPage(subscriber, after_id, limit);
  };
  return engine;
}

// Committed rows go on to the engine; what the store holds, read again, replaces its queues.
store::GroupCommitOptions CommitOptionsOf(OutboxOptions& options, deliver::DeliveryEngine& engine) {
  store::GroupCommitOptions commit;
  commit.on_committed = [&engine](std::vector<store::OutboxEntry> rows) {
    engine.Add(std::move(rows));
  };
  commit.on_changed_elsewhere = [&engine](store::PendingHead pending) {
    engine.Replace(std::move(pending));
  };
  commit.on_failure = std::move(options.on_failure);
  commit.logger = options.logger;
  commit.pending_per_subscriber = options.max_held;
  return commit;
}

}  // namespace

Outbox::Outbox(store::Backend& store, deliver::SharedSubscriptions subscriptions,
               OutboxOptions options)
    : store_(store),
      logger_(options.logger ? options.logger : MakeNullLogger()),
      direct_(!store.Durable()),
      max_held_(options.max_held),
      on_failure_(options.on_failure),
      engine_(std::move(subscriptions), EngineOptionsOf(options, store, committer_)),
      committer_(store, CommitOptionsOf(options, engine_)) {}

Outbox::~Outbox() {
  if (!closed_) Close(std::chrono::milliseconds(0));
}

Result<std::size_t> Outbox::Resume() {
  // A long backlog is not read whole: each subscriber's first rows, the rest paged in later.
  Result<store::PendingHead> pending = store::LoadPendingHead(store_, max_held_);
  if (!pending) return pending.error();
  const std::size_t count = pending->Count();
  if (count != 0) {
    logger_->Log(LogLevel::kInfo, "delivering " + std::to_string(count) +
                                      " messages an earlier run left in the outbox");
    engine_.Replace(std::move(*pending));  // nothing is queued yet: it only adds
  }
  return count;
}

bool Outbox::Submit(store::Batch batch, std::stop_token stop) {
  if (!direct_) return committer_.Submit(std::move(batch), /*wait_for_room=*/true, stop);
  return ApplyNow(batch).ok();
}

Status Outbox::ApplyNow(store::Batch& batch) {
  {
    std::lock_guard lock(error_mutex_);
    if (!error_.ok()) return error_;
  }
  if (Status applied = store_.Apply(batch); !applied.ok()) {
    std::lock_guard lock(error_mutex_);
    if (error_.ok()) {
      error_ = applied;
      logger_->Log(LogLevel::kError, applied.message() + "; stopping intake");
      if (on_failure_) on_failure_();
    }
    return applied;
  }
  // Only the intake adds rows, one batch at a time: they reach the engine in id order.
  if (!batch.added.empty()) engine_.Add(std::move(batch.added));
  return Status::Ok();
}

void Outbox::Flush() {
  if (!direct_) committer_.Flush();
}

Status Outbox::error() const {
  if (!direct_) return committer_.error();
  std::lock_guard lock(error_mutex_);
  return error_;
}

void Outbox::Reconfigure(deliver::SharedSubscriptions subscriptions) {
  engine_.Reconfigure(std::move(subscriptions));
  committer_.ReloadPending();  // queue what the store holds on the new lanes
}

void Outbox::WaitIdle(std::stop_token stop) { engine_.WaitIdle(stop); }

void Outbox::CutShort() { engine_.CutShort(); }

std::vector<SubscriberReport> Outbox::Close(std::chrono::milliseconds grace) {
  closed_ = true;
  engine_.Drain(grace);
  committer_.Stop();  // the outcomes of the last deliveries, committed
  return engine_.Reports();
}

}  // namespace kfpevents::outbox
