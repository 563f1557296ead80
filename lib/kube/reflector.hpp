// List+watch of one collection, as client-go's reflector does it: list (paginated), watch from
// the list's resourceVersion, follow bookmarks, relist after 410 Gone, re-watch with backoff
// after failures. What the objects are is the Handler's business: Events and Workflows each
// have one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <stop_token>
#include <string>
#include <string_view>

#include "kfpevents/kube.hpp"
#include "kube/api_client.hpp"
#include "kube/backoff.hpp"
#include "kube/watch_frames.hpp"
#include "observe/instruments.hpp"

namespace kfpevents::kube {

struct ReflectorOptions {
  std::string collection_path;  // e.g. /api/v1/namespaces/kubeflow/events
  std::string description;      // for log lines: "watch kubeflow", "workflows kubeflow"
  std::string field_selector;   // "" for none
  std::size_t page_size = 500;
  std::chrono::seconds watch_timeout_min{300};
  std::chrono::seconds watch_timeout_max{600};
  std::chrono::seconds watch_stall_timeout{90};  // no byte for this long: re-watch
  BackoffPolicy backoff;
  std::size_t max_line_bytes = 16 * 1024 * 1024;
  std::size_t max_list_page_bytes = 64 * 1024 * 1024;
  std::shared_ptr<Logger> logger;
  std::string resource;  // the `resource` label of its metrics: "events", "workflows"
  std::shared_ptr<MetricsRegistry> metrics;
  std::shared_ptr<Readiness> readiness;  // its check is named by the description
};

// The options a KubeEventSource gives every reflector it runs: `api_prefix` ("/api/v1",
// "/apis/argoproj.io/v1alpha1") and `resource` ("events") name the collection in
// `namespace_name` ("" for all namespaces); the description is "<what> <namespace>".
ReflectorOptions ReflectorOptionsFor(const KubeEventSourceOptions& options,
                                     const std::string& api_prefix, const std::string& resource,
                                     const std::string& namespace_name, const std::string& what);

// What one watch line said, for the reflector's own bookkeeping.
struct LineOutcome {
  WatchType type = WatchType::kAdded;
  std::string resource_version;  // "" when the line carries none
  ApiStatus status;              // for ERROR lines
  bool stop = false;             // the handler can take no more (stopping)
};

class ReflectorHandler {
 public:
  virtual ~ReflectorHandler();
  // Decodes one list page (the body as received: a reader may use its spare capacity). Errors
  // (an unreadable page) fail the list, which is then retried.
  virtual Result<ListPageMeta> ListPage(const std::string& body) = 0;
  // Every page arrived: the items kept are the collection at `resource_version`. `relist` is
  // false for the first list. Returns false when stopping.
  virtual bool Listed(const std::string& resource_version, bool relist) = 0;
  // The list failed part way: drop the items kept.
  virtual void ListAbandoned() = 0;
  // Decodes one watch line and handles what it says about an object. An error's message is
  // logged as it is ("skipped a line that ...") and the line skipped.
  virtual Result<LineOutcome> WatchLine(std::string_view line) = 0;
};

class Reflector {
 public:
  Reflector(ReflectorOptions options, const ApiConnection& connection,
            std::shared_ptr<TokenSource> tokens, std::uint64_t seed);

  // Runs until `stop` is requested; every failure is logged and retried. A non-empty
  // `resume_from` starts with a watch from there (a checkpoint) instead of a list.
  void Run(std::stop_token stop, ReflectorHandler& handler, const std::string& resume_from = "");

 private:
  enum class WatchEnd { kClosed, kExpired, kFailed, kStopped };

  Status List(std::stop_token stop, ReflectorHandler& handler);
  Result<ListPageMeta> ListPage(const std::string& query, std::stop_token stop,
                                ReflectorHandler& handler, long& http_status);
  WatchEnd Watch(std::stop_token stop, ReflectorHandler& handler);
  void Pause(std::stop_token stop);
  void Log(LogLevel level, const std::string& message) const;
  void Connected();
  void Disconnected(const std::string& why);

  const ReflectorOptions options_;
  const std::shared_ptr<MetricsRegistry> registry_;
  const observe::WatchInstruments metrics_;
  ApiClient client_;
  Backoff backoff_;
  std::mt19937_64 random_;
  std::string resource_version_;  // where the next watch starts; opaque
  bool listed_ = false;           // a list (or a checkpoint) has set resource_version_
};

}  // namespace kfpevents::kube
