// The reconciler: a Reflector over Argo Workflows (summaries only) that hands on, as events,
// the phase changes each Workflow's status shows. It remembers (as key hashes) what it handed on
// per workflow, so a MODIFIED line re-sends nothing; the pipeline recognises what the Event path
// already notified.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kfpevents/kube.hpp"
#include "kube/reflector.hpp"
#include "observe/long_runs.hpp"

namespace kfpevents::kube {

class WorkflowWatch final : private ReflectorHandler {
 public:
  // Receives each transition as the event Argo would have recorded; false when stopping.
  using Sink = std::function<bool(WorkflowEvent)>;

  // `options` must outlive the watch. `namespace_name` "" watches all namespaces.
  WorkflowWatch(const KubeEventSourceOptions& options, std::string namespace_name,
                std::shared_ptr<TokenSource> tokens, std::uint64_t seed);

  void Run(std::stop_token stop, const Sink& sink);

 private:
  Result<ListPageMeta> ListPage(const std::string& body) override;
  bool Listed(const std::string& resource_version, bool relist) override;
  void ListAbandoned() override { listed_uids_.clear(); }
  Result<LineOutcome> WatchLine(std::string_view line) override;

  // Hands on the transitions of `workflow` not handed on before; false when stopping.
  bool Reconcile(const WorkflowInfo& workflow);
  void Log(LogLevel level, const std::string& message) const;

  const KubeEventSourceOptions& options_;
  const ReflectorOptions reflector_options_;
  Reflector reflector_;
  const Sink* sink_ = nullptr;  // set while Run runs
  // The uids of the list being read. Each page is reconciled as it arrives, so a list of
  // thousands of Workflows never holds more than a page of summaries.
  std::unordered_set<std::string> listed_uids_;
  // Workflow uid -> sorted hashes of the transition keys handed on.
  std::unordered_map<std::string, std::vector<std::uint64_t>> handed_on_;
  std::unique_ptr<observe::LongRuns> long_runs_;  // null without metrics
  std::chrono::steady_clock::time_point long_runs_refreshed_{};
};

}  // namespace kfpevents::kube
