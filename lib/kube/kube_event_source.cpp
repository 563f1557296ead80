// The Kubernetes EventSource: per namespace, an EventWatch thread and (reconciling) a
// WorkflowWatch thread, feeding one bounded queue that Next() drains. A full queue blocks the
// watches, and TCP flow control the API server.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "core/thread_name.hpp"
#include "kube/event_watch.hpp"
#include "kube/workflow_watch.hpp"

namespace kfpevents {
namespace {

class KubeEventSource final : public EventSource {
 public:
  explicit KubeEventSource(KubeEventSourceOptions options) : options_(std::move(options)) {}

  ~KubeEventSource() override {
    for (std::jthread& thread : threads_) thread.request_stop();
    queue_changed_.notify_all();
    // jthread joins; each watch notices the stop within about a second (curl's progress tick).
  }

  Result<std::optional<WorkflowEvent>> Next(std::stop_token stop) override {
    if (threads_.empty()) Start();
    std::unique_lock lock(mutex_);
    queue_changed_.wait(lock, stop, [this] { return !queue_.empty(); });
    if (stop.stop_requested()) {
      lock.unlock();
      for (std::jthread& thread : threads_) thread.request_stop();
      return std::optional<WorkflowEvent>();
    }
    WorkflowEvent event = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    queue_changed_.notify_all();
    return std::optional<WorkflowEvent>(std::move(event));
  }

 private:
  static constexpr std::size_t kQueueCapacity = 1024;

  void Start() {
    auto tokens = std::make_shared<kube::TokenSource>(options_.connection);
    std::vector<std::string> namespaces = options_.namespaces;
    if (namespaces.empty()) namespaces.emplace_back();  // "" = all namespaces
    std::random_device seeds;
    for (const std::string& ns : namespaces) {
      watches_.push_back(std::make_unique<kube::EventWatch>(options_, ns, tokens, seeds()));
      if (options_.reconcile) {
        reconcilers_.push_back(
            std::make_unique<kube::WorkflowWatch>(options_, ns, tokens, seeds()));
      }
    }
    for (const auto& watch : watches_) StartThread(*watch, "kfp-watch-event");
    for (const auto& reconciler : reconcilers_) StartThread(*reconciler, "kfp-watch-wf");
  }

  template <typename Watch>
  void StartThread(Watch& watch, const char* name) {
    threads_.emplace_back([this, &watch, name](std::stop_token stop) {
      NameThisThread(name);
      watch.Run(stop, [this, stop](WorkflowEvent event) { return Push(std::move(event), stop); });
    });
  }

  bool Push(WorkflowEvent event, std::stop_token stop) {
    event.received = std::chrono::system_clock::now();  // before any wait for room in the queue
    std::unique_lock lock(mutex_);
    queue_changed_.wait(lock, stop, [this] { return queue_.size() < kQueueCapacity; });
    if (stop.stop_requested()) return false;
    queue_.push_back(std::move(event));
    lock.unlock();
    queue_changed_.notify_all();
    return true;
  }

  const KubeEventSourceOptions options_;
  std::vector<std::unique_ptr<kube::EventWatch>> watches_;
  std::vector<std::unique_ptr<kube::WorkflowWatch>> reconcilers_;
  std::mutex mutex_;
  std::condition_variable_any queue_changed_;
  std::deque<WorkflowEvent> queue_;
  std::vector<std::jthread> threads_;  // last: joined before the rest is destroyed
};

}  // namespace

Result<std::unique_ptr<EventSource>> MakeKubeEventSource(KubeEventSourceOptions options) {
  if (options.connection.server.empty()) {
    return Status::InvalidArgument("no API server address");
  }
  if (options.page_size == 0) return Status::InvalidArgument("page_size must be at least 1");
  if (options.watch_timeout_min.count() < 1 ||
      options.watch_timeout_max < options.watch_timeout_min) {
    return Status::InvalidArgument("watch timeouts must satisfy 1 s <= min <= max");
  }
  if (options.backoff.initial.count() < 1 || options.backoff.max < options.backoff.initial) {
    return Status::InvalidArgument("backoff must satisfy 1 ms <= initial <= max");
  }
  if (!options.logger) options.logger = MakeNullLogger();
  return std::unique_ptr<EventSource>(std::make_unique<KubeEventSource>(std::move(options)));
}

}  // namespace kfpevents
