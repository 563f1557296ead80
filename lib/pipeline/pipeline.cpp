// The intake loop: each event from the source is resolved to its Workflow, keyed, checked against
// what was notified before, formatted for every subscription that wants it, and handed to the
// outbox, which commits it and delivers it.
#include "kfpevents/pipeline.hpp"

#include <unordered_set>

#include "argo/kfp_v2.hpp"
#include "argo/status_transitions.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/transition.hpp"
#include "observe/instruments.hpp"
#include "observe/run_metrics.hpp"
#include "outbox/outbox.hpp"
#include "store/backend.hpp"

namespace kfpevents {

bool RunSummary::AllDelivered() const {
  if (stopped || format_errors != 0) return false;
  for (const SubscriberReport& report : subscribers) {
    if (report.failed != 0 || report.unsent != 0) return false;
  }
  return true;
}

namespace {

// Formatters may be user code: an exception becomes an error for this notification only.
Result<Message> SafeFormat(const MessageFormatter& formatter, const Notification& notification) {
  try {
    return formatter.Format(notification);
  } catch (const std::exception& error) {
    return Status::Internal(std::string("formatter threw: ") + error.what());
  } catch (...) {
    return Status::Internal("formatter threw a non-standard exception");
  }
}

// The transition keys this run has already taken in, in front of the store's: most duplicates
// are recent (an Event and the Workflow status reporting the same transition), and a key
// submitted but not yet committed is not in the store yet.
class RecentKeys {
 public:
  bool Contains(const std::string& key) const { return keys_.count(key) != 0; }
  void Insert(const std::string& key) {
    // Keys this old are committed (the commit queue is far shorter), so the store has them.
    if (keys_.size() >= kCapacity) keys_.clear();
    keys_.insert(key);
  }

 private:
  static constexpr std::size_t kCapacity = 100'000;
  std::unordered_set<std::string> keys_;
};

}  // namespace

struct Pipeline::Impl {
  // The resolver before the source: the source's threads may feed the resolver (a Workflow
  // watch warming its cache), so the source must be destroyed, and its threads joined, first.
  std::unique_ptr<WorkflowResolver> resolver;
  std::unique_ptr<EventSource> source;
  PipelineOptions options;
  bool ran = false;
  RecentKeys recent;
  std::unordered_set<std::string> warned_unread;    // workflows whose unread nodes were reported
  std::unordered_set<std::string> remembered_runs;  // workflow uids whose memo was committed
  std::map<std::string, std::uint64_t> filtered;    // by subscription name

  // The subscriptions, replaced by Reconfigure while Run runs; and the outbox Run owns, which a
  // reconfiguration must reach.
  std::mutex mutex;
  deliver::SharedSubscriptions subscriptions;
  outbox::Outbox* outbox = nullptr;

  deliver::SharedSubscriptions Subscriptions() {
    std::lock_guard lock(mutex);
    return subscriptions;
  }
  observe::IntakeInstruments metrics{};
  std::unique_ptr<observe::RunMetrics> run_metrics;  // runs ended, by outcome; durations
  std::map<std::string, Counter*> received;  // by reason

  void CountReceived(const std::string& reason) {
    Counter*& counter = received[reason];
    if (counter == nullptr) counter = &metrics.Received(reason);
    counter->Add();
  }

  // The workflow behind an event, or null (with a warning) when it cannot be resolved: the
  // notification still goes out with what the event carries.
  SharedWorkflowInfo ResolveFor(const WorkflowEvent& event, std::stop_token stop,
                                store::Backend& store, RunSummary& summary) {
    const WorkflowRef ref = WorkflowOf(event);
    if (ref.name.empty() || !resolver) {
      ++summary.unresolved;
      metrics.unresolved->Add();
      return nullptr;
    }
    Result<SharedWorkflowInfo> workflow = resolver->Resolve(ref, stop);
    if (workflow && !*workflow) workflow = Status::Internal("the resolver gave no summary");
    if (workflow) {
      WarnOnceOfUnreadNodes(**workflow);
      return std::move(*workflow);
    }
    ++summary.unresolved;
    metrics.unresolved->Add();
    const std::string what = "workflow " + ref.namespace_name + "/" + ref.name + " not resolved (" +
                             workflow.error().ToString() + "); notifying from the event alone";
    // A run seen before (its Workflow since deleted, as KFP 2.17 does after an hour) keeps its
    // run id, and what tells its tasks from its plumbing, for as long as its keys are kept.
    Result<std::optional<store::RunMemo>> memo =
        ref.uid.empty() ? std::optional<store::RunMemo>() : store.RunOf(ref.uid);
    if (!memo || !*memo) {
      options.logger->Log(LogLevel::kWarning, what + ", KfpRunId \"\"");
      return nullptr;
    }
    options.logger->Log(
        LogLevel::kWarning,
        what + " and the run id the state store kept, KfpRunId \"" + (*memo)->run_id + "\"");
    auto remembered = std::make_shared<WorkflowInfo>();
    remembered->namespace_name = ref.namespace_name;
    remembered->name = ref.name;
    remembered->uid = ref.uid;
    remembered->labels[kRunIdLabel] = (*memo)->run_id;
    remembered->kfp_v2 = (*memo)->kfp_v2;
    return remembered;
  }

  // A run's memo goes into the store with its first notification this process commits.
  void RememberRun(const WorkflowInfo& workflow, store::Batch& batch) {
    const std::string run_id = KfpRunId(&workflow);
    if (workflow.uid.empty() || run_id.empty()) return;
    if (remembered_runs.size() >= 10'000) remembered_runs.clear();  // bounded; a repeat is harmless
    if (!remembered_runs.insert(workflow.uid).second) return;
    batch.runs.push_back({workflow.uid, run_id, workflow.kfp_v2});
  }

  // A run whose nodes cannot be read is notified at the workflow level and from its nodes'
  // Events; reconciliation cannot fill its node transitions. Said once per workflow.
  void WarnOnceOfUnreadNodes(const WorkflowInfo& workflow) {
    if (workflow.nodes_unread.empty()) return;
    if (warned_unread.size() >= 10'000) warned_unread.clear();  // bounded; a repeat is harmless
    if (!warned_unread.insert(workflow.uid.empty() ? workflow.name : workflow.uid).second) return;
    options.logger->Log(LogLevel::kWarning,
                        "workflow " + workflow.namespace_name + "/" + workflow.name + ": " +
                            workflow.nodes_unread +
                            "; its nodes are notified from their Events alone, and "
                            "reconciliation covers only the workflow's own transitions "
                            "(Argo Server serves offloaded nodes: --argo-server)");
  }

  // True when the transition was notified before (by this run, another path or an earlier one).
  Result<bool> AlreadyNotified(const std::string& key, store::Backend& store) {
    if (recent.Contains(key)) return true;
    Result<bool> stored = store.IsNotified(key);
    if (stored && *stored) recent.Insert(key);
    return stored;
  }

  // The key and one outbox row per subscription that wants the notification, committed
  // together.
  store::Batch BatchFor(const Notification& notification, RunSummary& summary) {
    store::Batch batch;
    batch.notified.push_back(notification.key);
    if (notification.workflow) RememberRun(*notification.workflow, batch);
    if (!notification.event.checkpoint_scope.empty() &&
        !notification.event.resource_version.empty()) {
      batch.checkpoints.emplace_back(notification.event.checkpoint_scope,
                                     notification.event.resource_version);
    }
    const TimePoint now = std::chrono::system_clock::now();
    // Subscriptions often share a formatter: format once per formatter.
    std::map<const MessageFormatter*, Result<Message>> formatted;
    for (const auto& shared : Subscriptions()) {
      const Subscription& subscription = *shared;
      if (!subscription.filter.Wants(notification)) {
        ++filtered[subscription.name];
        continue;
      }
      const MessageFormatter* formatter = subscription.formatter.get();
      auto it = formatted.find(formatter);
      if (it == formatted.end()) {
        it = formatted.emplace(formatter, SafeFormat(*formatter, notification)).first;
      }
      if (!it->second && it->second.error().code() == ErrorCode::kNotFound) {
        ++filtered[subscription.name];  // the formatter has nothing to send for this one
        continue;
      }
      if (!it->second) {
        ++summary.format_errors;
        metrics.FormatErrors(subscription.name).Add();
        // Unusable data in the notification (a malformed callback) is a warning; anything else
        // (a formatter that threw) an error.
        const bool bad_data = it->second.error().code() == ErrorCode::kInvalidArgument;
        options.logger->Log(bad_data ? LogLevel::kWarning : LogLevel::kError,
                            "subscriber " + subscription.name + ": notification " +
                                notification.key +
                                " cannot be formatted: " + it->second.error().ToString());
        continue;
      }
      store::OutboxEntry& entry = batch.added.emplace_back();
      entry.subscriber = subscription.name;
      entry.message = *it->second;
      // Latency counts from the event's arrival: resolving and committing are part of it.
      entry.created =
          notification.event.received == TimePoint{} ? now : notification.event.received;
      entry.next_attempt = now;
    }
    return batch;
  }
};

Pipeline::Pipeline(std::unique_ptr<EventSource> source, std::unique_ptr<WorkflowResolver> resolver,
                   std::vector<Subscription> subscriptions, PipelineOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->source = std::move(source);
  impl_->resolver = std::move(resolver);
  impl_->subscriptions = deliver::Share(std::move(subscriptions));
  impl_->options = std::move(options);
  if (!impl_->options.logger) impl_->options.logger = MakeNullLogger();
  if (!impl_->options.store) impl_->options.store = MakeMemoryStateStore();
  impl_->options.metrics = observe::OrPrivate(std::move(impl_->options.metrics));
  impl_->metrics = observe::IntakeInstruments::For(*impl_->options.metrics);
  impl_->run_metrics = std::make_unique<observe::RunMetrics>(*impl_->options.metrics);
}

Pipeline::~Pipeline() = default;

namespace {

Status CheckSubscriptions(const deliver::SharedSubscriptions& subscriptions) {
  std::set<std::string> names;
  for (const auto& subscription : subscriptions) {
    if (!subscription->subscriber || !subscription->formatter) {
      return Status::InvalidArgument("subscription \"" + subscription->name +
                                     "\" lacks a subscriber or a formatter");
    }
    if (!names.insert(subscription->name).second) {
      return Status::InvalidArgument("two subscriptions are named \"" + subscription->name + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace

Status Pipeline::Reconfigure(std::vector<Subscription> subscriptions) {
  Impl& impl = *impl_;
  deliver::SharedSubscriptions shared = deliver::Share(std::move(subscriptions));
  if (Status status = CheckSubscriptions(shared); !status.ok()) return status;
  std::lock_guard lock(impl.mutex);
  impl.subscriptions = shared;
  if (impl.outbox != nullptr) impl.outbox->Reconfigure(std::move(shared));
  return Status::Ok();
}

Result<RunSummary> Pipeline::Run(std::stop_token stop) {
  Impl& impl = *impl_;
  if (impl.ran) return Status::InvalidArgument("Pipeline::Run may be called only once");
  impl.ran = true;
  if (!impl.source) return Status::InvalidArgument("pipeline has no event source");
  if (Status status = CheckSubscriptions(impl.Subscriptions()); !status.ok()) return status;
  // StateStore is sealed: every one is a store::Backend.
  auto* store = static_cast<store::Backend*>(impl.options.store.get());
  const std::shared_ptr<Logger>& logger = impl.options.logger;

  RunSummary summary;
  // A failed commit stops the intake at once, even while the source waits for events.
  std::stop_source intake;
  const std::stop_callback forward_stop(stop, [&intake] { intake.request_stop(); });
  outbox::OutboxOptions outbox_options{impl.options.retry,
                                       logger,
                                       impl.options.metrics,
                                       [&intake] { intake.request_stop(); },
                                       impl.options.max_held_per_subscriber,
                                       impl.options.clock};
  outbox::Outbox outbox(*store, impl.Subscriptions(), std::move(outbox_options));
  const std::stop_callback abort(impl.options.abort, [&intake, &outbox] {
    intake.request_stop();
    outbox.CutShort();
  });
  {
    std::lock_guard lock(impl.mutex);
    impl.outbox = &outbox;
  }
  struct Unpublish {  // before the outbox goes, on every path out
    Impl& impl;
    ~Unpublish() {
      std::lock_guard lock(impl.mutex);
      impl.outbox = nullptr;
    }
  } unpublish{impl};

  if (Result<std::size_t> resumed = outbox.Resume(); !resumed) return resumed.error();

  Status failure;
  bool exhausted = false;
  while (failure.ok()) {
    Result<std::optional<WorkflowEvent>> next = impl.source->Next(intake.get_token());
    if (!next) {
      failure = next.error();
      break;
    }
    if (!next->has_value()) {
      exhausted = !stop.stop_requested();
      break;
    }
    ++summary.events;
    impl.CountReceived((*next)->reason);
    Notification notification;
    notification.event = std::move(**next);
    notification.workflow =
        impl.ResolveFor(notification.event, intake.get_token(), *store, summary);
    notification.key = TransitionKey(notification.event, notification.workflow.get());
    if (notification.workflow) argo::GiveTaskItsReason(notification.event, *notification.workflow);
    Result<bool> seen = impl.AlreadyNotified(notification.key, *store);
    if (!seen) {
      failure = seen.error();
      break;
    }
    if (*seen) {
      ++summary.duplicates;
      impl.metrics.duplicates->Add();
      logger->Log(LogLevel::kDebug, "transition " + notification.key + " (" +
                                        notification.event.reason +
                                        ") was already notified; skipped");
      continue;
    }
    impl.recent.Insert(notification.key);
    impl.metrics.notifications->Add();
    impl.run_metrics->Record(notification);
    if (notification.event.source_component == argo::kReconcilerComponent) {
      impl.metrics.from_status->Add();
    }
    if (!outbox.Submit(impl.BatchFor(notification, summary), intake.get_token())) {
      failure = outbox.error();  // OK when a stop interrupted the wait
    }
  }

  outbox.Flush();
  if (failure.ok()) failure = outbox.error();
  if (exhausted && failure.ok()) outbox.WaitIdle(stop);
  summary.subscribers = outbox.Close(impl.options.abort.stop_requested()
                                         ? std::chrono::milliseconds(0)
                                         : impl.options.drain_timeout);
  summary.stopped = stop.stop_requested() || impl.options.abort.stop_requested();
  for (SubscriberReport& report : summary.subscribers) report.filtered = impl.filtered[report.name];
  if (!failure.ok()) return failure;
  return summary;
}

}  // namespace kfpevents
