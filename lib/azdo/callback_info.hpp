// The Azure DevOps callback a pipeline run carries in its `azdocallbackinfo` parameter, and the
// plan event that completes the agentless task waiting for the run.
#pragma once

#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::azdo {

struct CallbackInfo {
  std::string job_id;
  std::string hub_name;
  std::string task_instance_id;
  std::string plan_id;
  std::string project_id;
  std::string plan_uri;    // the collection URI, e.g. https://dev.azure.com/org/
  std::string auth_token;  // the job's System.AccessToken: never logged
};

// Reads JSON or the Python-dict style that pipelines pass today ({'JobId':'…', ...}).
// kInvalidArgument names what is wrong (not an object, a missing or non-string key, a PlanUri
// that is not http(s)) and never echoes a value.
Result<CallbackInfo> ParseCallbackInfo(std::string_view text);

// The text ParseCallbackInfo reads, in the Python-dict style existing pipelines parse:
// {'JobId': '…', 'HubName': '…', …}, with `\` and `'` in values escaped as Python writes them.
std::string CallbackInfoText(const CallbackInfo& info);

// {PlanUri}/{ProjectId}/_apis/distributedtask/hubs/{HubName}/plans/{PlanId}/events
// ?api-version=2.0-preview.1, with exactly one slash after PlanUri and the path parts escaped.
std::string PlanEventsUrl(const CallbackInfo& info);

// {"name":"TaskCompleted","taskId":…,"jobId":…,"result":"succeeded"|"failed"}
std::string TaskCompletedBody(const CallbackInfo& info, bool succeeded);

}  // namespace kfpevents::azdo
