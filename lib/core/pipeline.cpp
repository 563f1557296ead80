#include "kfpevents/pipeline.hpp"

#include "deliver/dispatcher.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents {

bool SubscriptionFilter::Wants(const Notification& notification) const {
  const WorkflowEvent& event = notification.event;
  if (!reasons.empty() && reasons.count(event.reason) == 0) return false;
  if (level != EventLevel::kAll && IsNodeEvent(event) != (level == EventLevel::kNode)) {
    return false;
  }
  if (!namespaces.empty() && namespaces.count(WorkflowOf(event).namespace_name) == 0) {
    return false;
  }
  if (!workflow_selector.empty()) {
    static const std::map<std::string, std::string> kNoLabels;
    return workflow_selector.Matches(notification.workflow ? notification.workflow->labels
                                                           : kNoLabels);
  }
  return true;
}

bool RunSummary::AllDelivered() const {
  if (stopped || format_errors != 0) return false;
  for (const SubscriberReport& report : subscribers) {
    if (report.failed != 0 || report.unsent != 0) return false;
  }
  return true;
}

struct Pipeline::Impl {
  std::unique_ptr<EventSource> source;
  std::unique_ptr<WorkflowResolver> resolver;
  std::vector<Subscription> subscriptions;
  PipelineOptions options;
  bool ran = false;

  // The workflow behind an event, or nullopt (with a warning) when it cannot be resolved: the
  // notification still goes out with what the event carries.
  std::optional<WorkflowInfo> ResolveFor(const WorkflowEvent& event, std::stop_token stop,
                                         RunSummary& summary) {
    const WorkflowRef ref = WorkflowOf(event);
    if (ref.name.empty() || !resolver) {
      ++summary.unresolved;
      return std::nullopt;
    }
    Result<WorkflowInfo> workflow = resolver->Resolve(ref, stop);
    if (workflow) return std::move(*workflow);
    ++summary.unresolved;
    options.logger->Log(LogLevel::kWarning, "workflow " + ref.namespace_name + "/" + ref.name +
                                                " not resolved (" + workflow.error().ToString() +
                                                "); notifying from the event alone, KfpRunId \"\"");
    return std::nullopt;
  }
};

Pipeline::Pipeline(std::unique_ptr<EventSource> source, std::unique_ptr<WorkflowResolver> resolver,
                   std::vector<Subscription> subscriptions, PipelineOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->source = std::move(source);
  impl_->resolver = std::move(resolver);
  impl_->subscriptions = std::move(subscriptions);
  impl_->options = std::move(options);
  if (!impl_->options.logger) impl_->options.logger = MakeNullLogger();
}

Pipeline::~Pipeline() = default;

Result<RunSummary> Pipeline::Run(std::stop_token stop) {
  Impl& impl = *impl_;
  if (impl.ran) return Status::InvalidArgument("Pipeline::Run may be called only once");
  impl.ran = true;
  if (!impl.source) return Status::InvalidArgument("pipeline has no event source");
  for (const Subscription& subscription : impl.subscriptions) {
    if (!subscription.subscriber || !subscription.formatter) {
      return Status::InvalidArgument("subscription \"" + subscription.name +
                                     "\" lacks a subscriber or a formatter");
    }
  }

  RunSummary summary;
  deliver::DispatcherOptions dispatch_options;
  dispatch_options.retry = impl.options.retry;
  dispatch_options.logger = impl.options.logger;
  deliver::Dispatcher dispatcher(std::move(impl.subscriptions), std::move(dispatch_options));

  Status source_error;
  for (;;) {
    Result<std::optional<WorkflowEvent>> next = impl.source->Next(stop);
    if (!next) {
      source_error = next.error();
      break;
    }
    if (!next->has_value()) break;
    ++summary.events;
    Notification notification;
    notification.event = std::move(**next);
    notification.workflow = impl.ResolveFor(notification.event, stop, summary);
    notification.key = TransitionKey(notification.event,
                                     notification.workflow ? &*notification.workflow : nullptr);
    dispatcher.Submit(notification);
  }

  dispatcher.Finish(stop);
  summary.stopped = stop.stop_requested();
  summary.subscribers = dispatcher.Reports();
  summary.format_errors = dispatcher.format_errors();
  if (!source_error.ok()) return source_error;
  return summary;
}

}  // namespace kfpevents
