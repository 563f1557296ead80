// KFP 2.x runs as their users see them. The v2 backend compiles each pipeline task into three or
// four Argo nodes (a driver, the task's DAG, its executor Pod, a retry wrapper) under a
// root-driver and a root DAG, and keeps the run's parameters in the root driver's
// runtime-config rather than in spec.arguments. This maps such a run's nodes back to its tasks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::argo {

// Recognises a KFP 2.x run by its structure (the compiler's driver and executor templates, or a
// root driver's runtime-config), not by a version string. For one, sets `kfp_v2`, names each
// node's `task`, gives each failed task its executor's message (the reason, where the task's
// own node says only "child '…' failed"), and replaces `parameters` with the runtime-config's
// (none when it cannot be read: compiler data is never a parameter). Other workflows are left as
// they are. `runtime_config` is the root driver's runtime-config argument, "" when absent.
void ApplyKfpV2View(WorkflowInfo& workflow, std::string_view runtime_config);

// The parameters of a runtime-config: {"parameterValues":{"epochs":10,...}} (typed values), or
// the older {"parameters":{"text":{"stringValue":"hi"},...}}. kInvalidArgument when it is not
// JSON of either shape.
Result<std::vector<Parameter>> ParseRuntimeConfig(std::string_view text);

// A failed task's event says "Failed node <task>: child '<executor>' failed"; the reason is on the
// executor. For a KFP 2.x task's Failed or Error event, the message becomes
// "<Phase> node <task's full name>: <its executor's message>", as the summary holds it.
void GiveTaskItsReason(WorkflowEvent& event, const WorkflowInfo& workflow);

// "[0][2]": the index of each ParallelFor iteration a node of this full name runs in, outermost
// first; "" outside loops.
std::string LoopIndices(std::string_view full_name);

// For an event whose node a KFP 2.x run's summary does not hold (a deleted or offloaded
// Workflow): whether the node's full name is the compiler's plumbing, by its name alone.
bool LooksLikeKfpV2Plumbing(const std::string& full_name, const std::string& workflow_name);

}  // namespace kfpevents::argo
