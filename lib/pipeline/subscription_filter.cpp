// Which notifications a subscription wants: its reasons, level, namespaces, pipelines and labels.
#include "argo/kfp_v2.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/pipeline.hpp"

namespace kfpevents {

bool SubscriptionFilter::Wants(const Notification& notification) const {
  const WorkflowEvent& event = notification.event;
  if (!reasons.empty() && reasons.count(event.reason) == 0) return false;
  if (level == EventLevel::kRun) {
    if (IsNodeEvent(event) ||
        (event.reason != "WorkflowSucceeded" && event.reason != "WorkflowFailed")) {
      return false;
    }
  } else if (level != EventLevel::kAll && IsNodeEvent(event) != (level == EventLevel::kNode)) {
    return false;
  }
  const WorkflowInfo* workflow = notification.workflow.get();
  if (!argo_nodes && IsKfpV2Plumbing(event, workflow)) return false;
  if (!namespaces.empty() && namespaces.count(WorkflowOf(event).namespace_name) == 0) {
    return false;
  }
  if (!pipelines.empty() && pipelines.count(PipelineName(workflow)) == 0) return false;
  if (!workflow_selector.empty()) {
    static const std::map<std::string, std::string> kNoLabels;
    return workflow_selector.Matches(workflow != nullptr ? workflow->labels : kNoLabels);
  }
  return true;
}

}  // namespace kfpevents
