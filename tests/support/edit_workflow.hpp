// Summaries are shared and immutable once resolved; a test that changes a notification's gives
// it a copy of its own first.
#pragma once

#include <memory>

#include "kfpevents/types.hpp"

namespace kfpevents::testing {

// The notification's summary, now its own copy (an empty one if it had none), to change.
inline WorkflowInfo& EditWorkflow(Notification& notification) {
  auto copy = notification.workflow ? std::make_shared<WorkflowInfo>(*notification.workflow)
                                    : std::make_shared<WorkflowInfo>();
  WorkflowInfo& editable = *copy;
  notification.workflow = std::move(copy);
  return editable;
}

// `workflow` as a resolver hands it out.
inline SharedWorkflowInfo Shared(WorkflowInfo workflow) {
  return std::make_shared<const WorkflowInfo>(std::move(workflow));
}

}  // namespace kfpevents::testing
