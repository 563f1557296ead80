// What the workflow cache needs to decide: is a cached summary recent enough for an event.
#pragma once

#include <cstddef>

#include "kfpevents/types.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents::resolve {

// True when `cached` already reflects what the event behind `ref` reports: the same
// resourceVersion, or the node (or workflow) already in the event's phase or past it.
bool SummaryKnows(const WorkflowInfo& cached, const WorkflowRef& ref);

}  // namespace kfpevents::resolve
