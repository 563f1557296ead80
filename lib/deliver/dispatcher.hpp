// Dispatcher: filters, formats and delivers notifications, one worker thread per subscription.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include "core/sleep.hpp"
#include "kfpevents/pipeline.hpp"

namespace kfpevents::deliver {

// Waits `duration` unless `stop` is requested first; returns false when interrupted.
// Injectable so retry schedules are tested without sleeping.
using Sleeper = std::function<bool(std::chrono::milliseconds duration, std::stop_token stop)>;

struct DispatcherOptions {
  RetryPolicy retry;
  std::shared_ptr<Logger> logger;
  Sleeper sleep = &SleepFor;
};

class Dispatcher {
 public:
  Dispatcher(std::vector<Subscription> subscriptions, DispatcherOptions options);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;
  ~Dispatcher();  // stops and joins the workers

  // Formats `notification` for each subscription whose filter wants it and queues it; returns
  // at once. Messages reach each subscriber in Submit order. Call from one thread.
  void Submit(const Notification& notification);

  // Lets every queue run dry, then joins the workers. A stop request abandons what is queued
  // (counted as unsent) and interrupts retry waits. Call once, after the last Submit.
  void Finish(std::stop_token stop);

  // Per-subscription counts; complete once Finish has returned.
  std::vector<SubscriberReport> Reports() const;
  std::uint64_t format_errors() const { return format_errors_; }

 private:
  class Worker;
  DispatcherOptions options_;  // workers hold a reference: declared first, destroyed last
  std::vector<std::unique_ptr<Worker>> workers_;
  std::uint64_t format_errors_ = 0;
};

}  // namespace kfpevents::deliver
