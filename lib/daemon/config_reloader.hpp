// Applies changes of the config file and the subscribers folder to a running daemon. Kubernetes
// updates a mounted ConfigMap by swapping a symlink, so changes are found by content, not by
// inotify or mtime: every interval the sources are read and compared with the last seen.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "kfpevents/clock.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/metrics.hpp"
#include "kfpevents/pipeline.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents::daemon {

class ConfigReloader {
 public:
  // What takes the new subscriptions (Pipeline::Reconfigure); an error rejects the change.
  using Apply = std::function<Status(std::vector<Subscription>)>;

  // Starts checking `sources` every `interval` on `clock` (null: SystemClock()); does nothing
  // when they name no file or folder, or `interval` is 0.
  ConfigReloader(SubscriberSources sources, std::chrono::milliseconds interval, Apply apply,
                 std::shared_ptr<Logger> logger, MetricsRegistry& metrics,
                 std::shared_ptr<Clock> clock = nullptr);
  ~ConfigReloader();  // stops checking

 private:
  void Run(std::stop_token stop);
  void Check();

  const SubscriberSources sources_;
  const std::chrono::milliseconds interval_;
  const Apply apply_;
  const std::shared_ptr<Clock> clock_;
  const std::shared_ptr<Logger> logger_;
  Counter& applied_;
  Counter& rejected_;
  Gauge& last_success_;
  std::string fingerprint_;  // the content last applied or rejected
  std::vector<SubscriberConfig> current_;
  std::jthread thread_;  // last
};

}  // namespace kfpevents::daemon
