// List+watch of core/v1 Events in one namespace (or all), as client-go's reflector does it:
// list (paginated), watch from the list's resourceVersion, follow bookmarks, relist after
// 410 Gone, re-watch with backoff after failures. Remembers which Events (by uid and count) it
// has handed on, so that neither a relist nor a repeated line notifies anything twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <stop_token>
#include <string>
#include <unordered_map>

#include "kfpevents/kube.hpp"
#include "kube/api_client.hpp"
#include "kube/backoff.hpp"
#include "kube/watch_frames.hpp"

namespace kfpevents::kube {

class EventWatch {
 public:
  // Receives each new Event occurrence; returns false when it can take no more (stopping).
  using Sink = std::function<bool(WorkflowEvent)>;

  // `options` must outlive the watch. `namespace_name` "" watches all namespaces.
  EventWatch(const KubeEventSourceOptions& options, std::string namespace_name,
             std::shared_ptr<TokenSource> tokens, std::uint64_t seed);

  // Runs until `stop` is requested. Every failure is logged and retried.
  void Run(std::stop_token stop, const Sink& sink);

 private:
  enum class WatchEnd { kClosed, kExpired, kFailed, kStopped };

  Status ListAndCatchUp(std::stop_token stop, const Sink& sink);
  Result<EventListPage> ListPage(const std::string& query, std::stop_token stop, long& http_status);
  WatchEnd Watch(std::stop_token stop, const Sink& sink);
  // False when the stream must end (an ERROR frame, or the sink is stopping).
  bool HandleLine(std::string_view line, const Sink& sink, ApiStatus& error);
  bool Offer(const WorkflowEvent& event, const Sink& sink);
  bool Wanted(const WorkflowEvent& event) const;
  void Pause(std::stop_token stop);
  void Log(LogLevel level, const std::string& message) const;

  const KubeEventSourceOptions& options_;
  const std::string namespace_name_;
  const std::string collection_path_;  // /api/v1[/namespaces/NS]/events
  const std::string scope_;            // the checkpoint scope: "*" or the namespace
  ApiClient client_;
  Backoff backoff_;
  std::mt19937_64 random_;

  std::string resource_version_;  // where the next watch starts; opaque
  bool listed_ = false;           // false until the first (baseline) list succeeded
  bool resume_watch_ = false;     // start by watching from a checkpoint, not by listing
  std::unordered_map<std::string, std::int64_t> seen_;  // Event uid -> count handed on
};

}  // namespace kfpevents::kube
