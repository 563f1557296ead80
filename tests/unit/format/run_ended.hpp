// The run the format tests render: a KFP 2.x run that ended, failed in one task or succeeded.
#pragma once

#include <string>

#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/types.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"

namespace kfpevents::testing {

inline const TemplateOptions kOptions{"https://kubeflow.example.com/pipeline/",
                                      {{"cluster", "prod-westeurope"}}};

// A KFP 2.x run's end: `failed` with a failed task and its reason, else succeeded.
inline Notification RunEnded(bool failed, const std::string& run_name = "nightly churn") {
  Notification notification;
  notification.event = MakeEvent("churn-x7k2p", failed ? "WorkflowFailed" : "WorkflowSucceeded",
                                 failed ? "child 'train' failed" : "");
  notification.event.last_timestamp = "2026-11-26T07:12:03Z";
  WorkflowInfo workflow;
  workflow.name = "churn-x7k2p";
  workflow.generate_name = "churn-";
  workflow.namespace_name = "team-a";
  workflow.uid = "wf-uid";
  workflow.phase = failed ? "Failed" : "Succeeded";
  workflow.started_at = "2026-11-26T06:00:00Z";
  workflow.finished_at = "2026-11-26T07:12:03Z";
  workflow.kfp_v2 = true;
  workflow.labels[kRunIdLabel] = "run-7";
  workflow.annotations[kRunNameAnnotation] = run_name;
  workflow.parameters = {{"epochs", "3", ParameterType::kNumber},
                         {"dataset", "s3://data/latest", ParameterType::kString}};
  NodeSummary train;
  train.name = "churn-x7k2p.root.train";
  train.display_name = "train";
  train.type = "DAG";
  train.task = "train";
  train.phase = failed ? "Failed" : "Succeeded";
  train.message = failed ? "OOMKilled (exit code 137)" : "";
  workflow.nodes.push_back(train);
  notification.workflow = testing::Shared(workflow);
  notification.key = "run-key";
  return notification;
}

// Quotes, a line break, markup and a Slack mention where a run's name, a task's reason and a
// parameter go.
inline const std::string kHostile =
    "a\"b\\c\nd</script><script>alert(1)</script><!channel> {{x}}";

inline Notification HostileRunEnded() {
  Notification notification = RunEnded(true, kHostile);
  testing::EditWorkflow(notification).nodes[0].message = kHostile;
  testing::EditWorkflow(notification).parameters[1].value = kHostile;
  return notification;
}

// A failed run with more than a message can show: a reason of 5,000 characters, eight failed
// tasks, 25 parameters.
inline Notification CrowdedRunEnded() {
  Notification notification = RunEnded(true);
  WorkflowInfo& workflow = testing::EditWorkflow(notification);
  workflow.nodes[0].message = "Traceback: " + std::string(5000, 'x');
  for (int i = 1; i < 8; ++i) {
    NodeSummary shard = workflow.nodes[0];
    shard.task = "shard[" + std::to_string(i) + "]";
    shard.name = "churn-x7k2p.root.shard-" + std::to_string(i);
    shard.message = "exit code " + std::to_string(i);
    workflow.nodes.push_back(shard);
  }
  for (int i = 0; i < 23; ++i) {
    workflow.parameters.push_back({"p" + std::to_string(i), std::to_string(i), ParameterType::kNumber});
  }
  return notification;
}

}  // namespace kfpevents::testing
