// The Event side of the Kubernetes source: a Reflector over core/v1 Events that hands on each
// new occurrence. Remembers which Events (by uid and count) it has handed on, so that neither a
// relist nor a repeated line notifies anything twice; the first list is a baseline.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "kfpevents/kube.hpp"
#include "kube/reflector.hpp"

namespace kfpevents::kube {

class EventWatch final : private ReflectorHandler {
 public:
  // Receives each new Event occurrence; returns false when it can take no more (stopping).
  using Sink = std::function<bool(WorkflowEvent)>;

  // `options` must outlive the watch. `namespace_name` "" watches all namespaces.
  EventWatch(const KubeEventSourceOptions& options, std::string namespace_name,
             std::shared_ptr<TokenSource> tokens, std::uint64_t seed);

  // Runs until `stop` is requested. Every failure is logged and retried.
  void Run(std::stop_token stop, const Sink& sink);

 private:
  Result<ListPageMeta> ListPage(const std::string& body) override;
  bool Listed(const std::string& resource_version, bool relist) override;
  void ListAbandoned() override { listed_items_.clear(); }
  Result<LineOutcome> WatchLine(std::string_view line) override;

  bool Offer(const WorkflowEvent& event);
  bool Wanted(const WorkflowEvent& event) const;
  void Log(LogLevel level, const std::string& message) const;

  const KubeEventSourceOptions& options_;
  const std::string scope_;  // the checkpoint scope: "*" or the namespace
  const ReflectorOptions reflector_options_;
  Reflector reflector_;
  const Sink* sink_ = nullptr;  // set while Run runs

  bool resuming_ = false;  // the store knows what was notified: no list is a baseline
  std::vector<WorkflowEvent> listed_items_;             // the list being read
  std::unordered_map<std::string, std::int64_t> seen_;  // Event uid -> count handed on
};

}  // namespace kfpevents::kube
