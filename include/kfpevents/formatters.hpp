// The built-in MessageFormatters.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

// The original tool's payload, byte for byte: compact JSON with exactly these keys in this
// order, strings escaped as Go's encoding/json does (so existing subscribers see no change):
// {"KfpRunId":"...","WorkflowName":"...","NodeName":"...","EventType":"...","Message":"..."}
KFPEVENTS_EXPORT std::unique_ptr<MessageFormatter> MakeKfpFormatter();

// `kfp-extended`: the five `kfp` keys first, then MessageId, Namespace, WorkflowUid,
// PipelineName, RunName, WorkflowPhase, WorkflowStartedAt, WorkflowFinishedAt, NodeId,
// NodeFullName, NodePhase, EventTime, FirstTimestamp, Count and Parameters (an object in the
// run's order: strings for KFP 1.x, each value with its own JSON type for KFP 2.x).
KFPEVENTS_EXPORT std::unique_ptr<MessageFormatter> MakeKfpExtendedFormatter();

// CloudEvents 1.0 over HTTP. id = the message id; source = the Workflow's API path
// (/apis/argoproj.io/v1alpha1/namespaces/NS/workflows/NAME); type = this prefix + the Event's
// reason; subject = the node's full name or the workflow's name; time = the Event's
// lastTimestamp; data = the kfp-extended object (application/json).
inline constexpr const char* kCloudEventTypePrefix = "io.kubeflow.pipelines.";
enum class CloudEventsMode {
  kStructured,  // the whole event as the body, Content-Type: application/cloudevents+json
  kBinary,      // data as the body, attributes in ce-* headers
};
KFPEVENTS_EXPORT std::unique_ptr<MessageFormatter> MakeCloudEventsFormatter(CloudEventsMode mode);

// Completes the agentless Azure DevOps task waiting for a run. For a workflow's end
// (WorkflowSucceeded, WorkflowFailed, WorkflowTimedOut) whose workflow has the parameter
// `parameter` (JSON or a Python-dict string with JobId, HubName, TaskInstanceId, PlanId,
// ProjectId, PlanUri, AuthToken), the message is the TaskCompleted plan event: body
// {"name":"TaskCompleted","taskId":…,"jobId":…,"result":"succeeded"|"failed"}, destination
// {PlanUri}/{ProjectId}/_apis/distributedtask/hubs/{HubName}/plans/{PlanId}/events
// ?api-version=2.0-preview.1, header `Authorization: Bearer <AuthToken>`. Other events, and
// workflows without the parameter, give kNotFound (nothing to send); a malformed parameter
// gives kInvalidArgument naming the workflow and the bad key, never a value.
inline constexpr const char* kAzureDevOpsCallbackParameter = "azdocallbackinfo";
KFPEVENTS_EXPORT std::unique_ptr<MessageFormatter> MakeAzureDevOpsFormatter(
    std::string parameter = kAzureDevOpsCallbackParameter);

// What templated messages see beyond the notification (docs/TEMPLATES.md).
struct TemplateOptions {
  // The KFP UI's base URL, e.g. https://kubeflow.example.com/pipeline: a template's `run_url`
  // is {base}/#/runs/details/{run id}. "" gives no link.
  std::string kfp_ui_url;
  // Static fields from the configuration (`fields: {cluster: prod-westeurope}`), as `fields.*`.
  std::vector<std::pair<std::string, std::string>> fields;
  // Headers whose values are templates (`X-Run-Id: "{{run_id}}"`), rendered for each message
  // into its headers; a line break in a value becomes a space.
  std::vector<std::pair<std::string, std::string>> header_templates;
};

// A formatter that renders a Mustache template (kainjow's) with the notification, the run's
// summary and `options` (docs/TEMPLATES.md). With a JSON `content_type` (application/json or
// any +json), every value is escaped as a JSON string, raw tags ({{{x}}}, {{&x}}) are refused,
// and a rendering that is not JSON is an error for that message. kInvalidArgument names a
// template that does not parse, or a field that does not exist, with its line and column.
KFPEVENTS_EXPORT Result<std::unique_ptr<MessageFormatter>> MakeTemplateFormatter(
    const std::string& template_text, const std::string& content_type,
    const TemplateOptions& options);

// The names accepted in configuration (`format:`): kfp, kfp-extended, cloudevents (structured),
// cloudevents-binary, and the templated slack (a Slack incoming-webhook message), teams (an
// Adaptive Card for a Teams Workflows webhook) and pagerduty (an Events API v2 trigger or
// resolve; needs the field routing_key).
KFPEVENTS_EXPORT std::vector<std::string> BuiltinFormatNames();

// A formatter by its configuration name; kInvalidArgument naming the known ones otherwise.
// `options` serve the templated formats.
KFPEVENTS_EXPORT Result<std::unique_ptr<MessageFormatter>> MakeFormatter(
    std::string_view name, const TemplateOptions& options = {});

}  // namespace kfpevents
