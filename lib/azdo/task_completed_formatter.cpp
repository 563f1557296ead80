// The Azure DevOps TaskCompleted plan event for a run's end (see formatters.hpp).
#include <algorithm>

#include "azdo/callback_info.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents {
namespace {

class TaskCompletedFormatter final : public MessageFormatter {
 public:
  explicit TaskCompletedFormatter(std::string parameter) : parameter_(std::move(parameter)) {}

  Result<Message> Format(const Notification& notification) const override {
    const std::string& reason = notification.event.reason;
    const bool succeeded = reason == "WorkflowSucceeded";
    if (!succeeded && reason != "WorkflowFailed" && reason != "WorkflowTimedOut") {
      return Status::NotFound("not the end of a workflow");
    }
    if (!notification.workflow) return Status::NotFound("the workflow is unknown");
    const WorkflowInfo& workflow = *notification.workflow;
    const auto found =
        std::find_if(workflow.parameters.begin(), workflow.parameters.end(),
                     [&](const Parameter& parameter) { return parameter.name == parameter_; });
    if (found == workflow.parameters.end()) {
      return Status::NotFound("the workflow has no parameter " + parameter_);
    }
    Result<azdo::CallbackInfo> info = azdo::ParseCallbackInfo(found->value);
    if (!info) {
      return Status::InvalidArgument("workflow " + workflow.namespace_name + "/" + workflow.name +
                                     ": parameter " + parameter_ + " " + info.error().message() +
                                     "; its Azure DevOps task is not completed");
    }
    Message message;
    message.id = MessageIdForKey(notification.key);
    message.body = azdo::TaskCompletedBody(*info, succeeded);
    message.content_type = "application/json";
    message.headers.emplace_back("Authorization", "Bearer " + info->auth_token);
    message.destination = azdo::PlanEventsUrl(*info);
    return message;
  }

 private:
  const std::string parameter_;
};

}  // namespace

std::unique_ptr<MessageFormatter> MakeAzureDevOpsFormatter(std::string parameter) {
  return std::make_unique<TaskCompletedFormatter>(std::move(parameter));
}

}  // namespace kfpevents
