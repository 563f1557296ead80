#include "deliver/dispatcher.hpp"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace kfpevents::deliver {

namespace {

// "1.0s", "300.0s": for log lines about retry waits.
std::string SecondsText(std::chrono::milliseconds wait) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1fs", static_cast<double>(wait.count()) / 1000.0);
  return text;
}

}  // namespace

// One subscription: a queue, a thread, and the retry loop.
class Dispatcher::Worker {
 public:
  Worker(Subscription subscription, const DispatcherOptions& options)
      : subscription_(std::move(subscription)), options_(options), random_(std::random_device{}()) {
    report_.name = subscription_.name;
    thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
  }

  ~Worker() {
    thread_.request_stop();
    Close();
  }

  const Subscription& subscription() const { return subscription_; }

  void CountFiltered() { Count(&SubscriberReport::filtered); }
  void FormatFailed(const std::string& notification_key, const std::string& detail) {
    Fail(notification_key, "cannot be formatted", detail);
  }

  void Enqueue(Message message) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(message));
    }
    wake_.notify_one();
  }

  void Close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    wake_.notify_one();
  }

  void RequestStop() { thread_.request_stop(); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  SubscriberReport report() const {
    std::lock_guard lock(mutex_);
    return report_;
  }

 private:
  void Run(std::stop_token stop) {
    for (;;) {
      Message message;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, stop, [&] { return closed_ || !queue_.empty(); });
        if (stop.stop_requested()) {
          report_.unsent += queue_.size();
          queue_.clear();
          return;
        }
        if (queue_.empty()) return;  // closed and drained
        message = std::move(queue_.front());
        queue_.pop_front();
      }
      DeliverWithRetries(message, stop);
    }
  }

  DeliveryResult DeliverOnce(const Message& message, std::stop_token stop) {
    try {
      return subscription_.subscriber->Deliver(message, stop);
    } catch (const std::exception& error) {
      return {DeliveryOutcome::kPermanent, std::string("subscriber threw: ") + error.what(), 0,
              std::nullopt};
    } catch (...) {
      return {DeliveryOutcome::kPermanent, "subscriber threw a non-standard exception", 0,
              std::nullopt};
    }
  }

  std::chrono::milliseconds NextWait(std::size_t retry, const DeliveryResult& result) {
    const RetryPolicy& policy = options_.retry;
    if (result.retry_after) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::min(*result.retry_after, policy.max_retry_after));
    }
    const auto base = static_cast<double>(policy.backoff[retry].count());
    std::uniform_real_distribution<double> spread(base * (1.0 - policy.jitter), base);
    return std::chrono::milliseconds(static_cast<std::int64_t>(spread(random_)));
  }

  void Count(std::uint64_t SubscriberReport::*counter) {
    std::lock_guard lock(mutex_);
    ++(report_.*counter);
  }

  void Fail(const std::string& message_id, const std::string& how, const std::string& detail) {
    {
      std::lock_guard lock(mutex_);
      ++report_.failed;
      report_.last_error = detail;
    }
    options_.logger->Log(LogLevel::kError, "subscriber " + subscription_.name + ": message " +
                                               message_id + " " + how + ": " + detail);
  }

  void DeliverWithRetries(const Message& message, std::stop_token stop) {
    const std::size_t max_retries = options_.retry.backoff.size();
    for (std::size_t retry = 0;; ++retry) {
      const DeliveryResult result = DeliverOnce(message, stop);
      if (result.outcome == DeliveryOutcome::kDelivered) return Count(&SubscriberReport::delivered);
      if (stop.stop_requested()) return Count(&SubscriberReport::unsent);
      if (result.outcome == DeliveryOutcome::kPermanent) {
        return Fail(message.id, "failed permanently", result.detail);
      }
      if (retry >= max_retries) {
        return Fail(message.id, "failed after " + std::to_string(retry + 1) + " attempts",
                    result.detail);
      }
      const std::chrono::milliseconds wait = NextWait(retry, result);
      options_.logger->Log(LogLevel::kWarning,
                           "subscriber " + subscription_.name + ": message " + message.id + ": " +
                               result.detail + "; retry " + std::to_string(retry + 1) + " of " +
                               std::to_string(max_retries) + " in " + SecondsText(wait));
      Count(&SubscriberReport::retries);
      if (!options_.sleep(wait, stop)) return Count(&SubscriberReport::unsent);
    }
  }

  Subscription subscription_;
  const DispatcherOptions& options_;
  std::mt19937 random_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<Message> queue_;
  bool closed_ = false;
  SubscriberReport report_;
  std::jthread thread_;  // last: starts after every member above exists
};

Dispatcher::Dispatcher(std::vector<Subscription> subscriptions, DispatcherOptions options)
    : options_(std::move(options)) {
  if (!options_.logger) options_.logger = MakeNullLogger();
  for (Subscription& subscription : subscriptions) {
    workers_.push_back(std::make_unique<Worker>(std::move(subscription), options_));
  }
}

Dispatcher::~Dispatcher() {
  for (auto& worker : workers_) worker->RequestStop();
  workers_.clear();
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

}  // namespace

void Dispatcher::Submit(const Notification& notification) {
  // Subscriptions often share a formatter: format once per formatter.
  std::map<const MessageFormatter*, Result<Message>> formatted;
  for (auto& worker : workers_) {
    const Subscription& subscription = worker->subscription();
    if (!subscription.filter.Wants(notification)) {
      worker->CountFiltered();
      continue;
    }
    const MessageFormatter* formatter = subscription.formatter.get();
    auto it = formatted.find(formatter);
    if (it == formatted.end())
      it = formatted.emplace(formatter, SafeFormat(*formatter, notification)).first;
    if (!it->second) {
      ++format_errors_;
      worker->FormatFailed(notification.key, it->second.error().ToString());
      continue;
    }
    worker->Enqueue(*it->second);
  }
}

void Dispatcher::Finish(std::stop_token stop) {
  std::stop_callback on_stop(stop, [this] {
    for (auto& worker : workers_) worker->RequestStop();
  });
  for (auto& worker : workers_) worker->Close();
  for (auto& worker : workers_) worker->Join();
}

std::vector<SubscriberReport> Dispatcher::Reports() const {
  std::vector<SubscriberReport> reports;
  for (const auto& worker : workers_) reports.push_back(worker->report());
  return reports;
}

}  // namespace kfpevents::deliver
