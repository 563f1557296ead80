#include "azdo/callback_info.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "kfpevents/formatters.hpp"
#include "kfpevents/kfp_steps.hpp"
#include "kfpevents/transition.hpp"
#include "support/edit_workflow.hpp"

namespace kfpevents::azdo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPythonDict =
    "{'JobId': 'job-1', 'HubName': 'build', 'TaskInstanceId': 'task-2', 'PlanId': 'plan-3', "
    "'ProjectId': 'proj 4', 'PlanUri': 'https://dev.azure.com/org/', 'AuthToken': 'T0KEN-S3CRET'}";

TEST(CallbackInfoTest, ReadsThePythonDictPipelinesPassToday) {
  Result<CallbackInfo> info = ParseCallbackInfo(kPythonDict);
  ASSERT_TRUE(info) << info.error().ToString();
  EXPECT_EQ(info->job_id, "job-1");
  EXPECT_EQ(info->hub_name, "build");
  EXPECT_EQ(info->task_instance_id, "task-2");
  EXPECT_EQ(info->plan_id, "plan-3");
  EXPECT_EQ(info->project_id, "proj 4");
  EXPECT_EQ(info->plan_uri, "https://dev.azure.com/org/");
  EXPECT_EQ(info->auth_token, "T0KEN-S3CRET");
}

TEST(CallbackInfoTest, ReadsJsonAndQuotesInsidePythonStrings) {
  Result<CallbackInfo> json = ParseCallbackInfo(
      R"({"JobId":"j","HubName":"h","TaskInstanceId":"t","PlanId":"p","ProjectId":"x",)"
      R"("PlanUri":"http://127.0.0.1:1/c","AuthToken":"a"})");
  ASSERT_TRUE(json) << json.error().ToString();
  EXPECT_EQ(json->plan_uri, "http://127.0.0.1:1/c");
  Result<CallbackInfo> quoted = ParseCallbackInfo(
      R"({'JobId':'it\'s','HubName':'say "hi"','TaskInstanceId':'t','PlanId':'p',)"
      R"('ProjectId':'x','PlanUri':'https://h/','AuthToken':'a'})");
  ASSERT_TRUE(quoted) << quoted.error().ToString();
  EXPECT_EQ(quoted->job_id, "it's");
  EXPECT_EQ(quoted->hub_name, "say \"hi\"");
}

TEST(CallbackInfoTest, NamesTheBadKeyAndNeverEchoesAValue) {
  const std::string without_plan =
      "{'JobId':'j','HubName':'h','TaskInstanceId':'t','ProjectId':'x',"
      "'PlanUri':'https://h/','AuthToken':'T0KEN-S3CRET'}";
  EXPECT_EQ(ParseCallbackInfo(without_plan).error().message(), "has no key PlanId");
  const std::string numeric =
      "{'JobId':7,'HubName':'h','TaskInstanceId':'t','PlanId':'p',"
      "'ProjectId':'x','PlanUri':'https://h/','AuthToken':'T0KEN-S3CRET'}";
  EXPECT_EQ(ParseCallbackInfo(numeric).error().message(), "key JobId must be a non-empty string");
  const std::string ftp =
      "{'JobId':'j','HubName':'h','TaskInstanceId':'t','PlanId':'p',"
      "'ProjectId':'x','PlanUri':'ftp://T0KEN-S3CRET/','AuthToken':'a'}";
  EXPECT_THAT(ParseCallbackInfo(ftp).error().message(), HasSubstr("key PlanUri: "));
  EXPECT_THAT(ParseCallbackInfo(ftp).error().message(), Not(HasSubstr("T0KEN")));
  EXPECT_THAT(ParseCallbackInfo("JobId=j;AuthToken=T0KEN-S3CRET").error().message(),
              HasSubstr("neither a JSON object nor a Python dict"));
}

// What `kfp run create --azdo-callback` writes is what the azure-devops subscriber reads back,
// whatever quotes or backslashes a value holds.
TEST(CallbackInfoTest, TheWrittenTextReadsBackToTheSameValues) {
  const std::map<std::string, std::string> variables = {
      {"SYSTEM_JOBID", "job-1"},
      {"SYSTEM_HOSTTYPE", "build"},
      {"SYSTEM_TASKINSTANCEID", "task-'2'"},
      {"SYSTEM_PLANID", "plan\\3"},
      {"SYSTEM_TEAMPROJECTID", "proj \"4\""},
      {"SYSTEM_COLLECTIONURI", "https://dev.azure.com/org/"},
      {"SYSTEM_ACCESSTOKEN", "T0KEN"}};
  Result<std::string> text =
      AzureDevOpsCallbackParameter([&](const char* name) { return variables.at(name); });
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_THAT(*text, HasSubstr(R"('TaskInstanceId': 'task-\'2\'', 'PlanId': 'plan\\3')"));
  Result<CallbackInfo> info = ParseCallbackInfo(*text);
  ASSERT_TRUE(info) << info.error().ToString();
  EXPECT_EQ(info->task_instance_id, "task-'2'");
  EXPECT_EQ(info->plan_id, "plan\\3");
  EXPECT_EQ(info->project_id, "proj \"4\"");
  EXPECT_EQ(info->auth_token, "T0KEN");
  EXPECT_EQ(CallbackInfoText(*info), *text);
}

TEST(CallbackInfoTest, AMissingVariableIsNamedAndNoValueShown) {
  Result<std::string> text = AzureDevOpsCallbackParameter([](const char* name) {
    return std::string(name) == "SYSTEM_ACCESSTOKEN" ? "T0KEN" : "";
  });
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(text.error().message(),
              HasSubstr("needs the variables SYSTEM_JOBID, SYSTEM_HOSTTYPE, SYSTEM_TASKINSTANCEID, "
                        "SYSTEM_PLANID, SYSTEM_TEAMPROJECTID, SYSTEM_COLLECTIONURI (run it"));
  EXPECT_THAT(text.error().message(), Not(HasSubstr("T0KEN")));
}

TEST(CallbackInfoTest, JoinsPlanUriWithOneSlashAndEscapesThePathParts) {
  CallbackInfo info = *ParseCallbackInfo(kPythonDict);
  const std::string expected =
      "https://dev.azure.com/org/proj%204/_apis/distributedtask/hubs/build/plans/plan-3/events"
      "?api-version=2.0-preview.1";
  EXPECT_EQ(PlanEventsUrl(info), expected);
  info.plan_uri = "https://dev.azure.com/org";
  EXPECT_EQ(PlanEventsUrl(info), expected);
  EXPECT_EQ(TaskCompletedBody(info, true),
            R"({"name":"TaskCompleted","taskId":"task-2","jobId":"job-1","result":"succeeded"})");
  EXPECT_EQ(TaskCompletedBody(info, false),
            R"({"name":"TaskCompleted","taskId":"task-2","jobId":"job-1","result":"failed"})");
}

Notification RunEnd(const std::string& reason, const std::string& callback) {
  Notification notification;
  notification.event.reason = reason;
  notification.event.involved_object = {"Workflow", "kubeflow", "wf", "uid-1", ""};
  WorkflowInfo workflow;
  workflow.namespace_name = "kubeflow";
  workflow.name = "wf";
  workflow.parameters = {{"epochs", "3"}};
  if (!callback.empty()) workflow.parameters.push_back({"azdocallbackinfo", callback});
  notification.workflow = testing::Shared(workflow);
  notification.key = "uid-1//" + reason + "/1";
  return notification;
}

TEST(AzureDevOpsFormatterTest, ARunsEndBecomesTheTaskCompletedEventForItsPlan) {
  const auto formatter = MakeAzureDevOpsFormatter();
  Result<Message> succeeded = formatter->Format(RunEnd("WorkflowSucceeded", kPythonDict));
  ASSERT_TRUE(succeeded) << succeeded.error().ToString();
  EXPECT_THAT(succeeded->body, HasSubstr(R"("result":"succeeded")"));
  EXPECT_EQ(succeeded->destination, PlanEventsUrl(*ParseCallbackInfo(kPythonDict)));
  EXPECT_EQ(succeeded->id, MessageIdForKey("uid-1//WorkflowSucceeded/1"));
  EXPECT_EQ(
      succeeded->headers,
      (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer T0KEN-S3CRET"}}));
  for (const char* failed : {"WorkflowFailed", "WorkflowTimedOut"}) {
    EXPECT_THAT(formatter->Format(RunEnd(failed, kPythonDict))->body,
                HasSubstr(R"("result":"failed")"));
  }
}

TEST(AzureDevOpsFormatterTest, OtherEventsAndRunsWithoutACallbackHaveNothingToSend) {
  const auto formatter = MakeAzureDevOpsFormatter();
  EXPECT_EQ(formatter->Format(RunEnd("WorkflowRunning", kPythonDict)).error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(formatter->Format(RunEnd("WorkflowNodeFailed", kPythonDict)).error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(formatter->Format(RunEnd("WorkflowSucceeded", "")).error().code(),
            ErrorCode::kNotFound);
  Notification unresolved = RunEnd("WorkflowSucceeded", kPythonDict);
  unresolved.workflow.reset();
  EXPECT_EQ(formatter->Format(unresolved).error().code(), ErrorCode::kNotFound);
}

TEST(AzureDevOpsFormatterTest, AMalformedCallbackNamesTheWorkflowAndTheKey) {
  const std::string broken = "{'JobId':'j','AuthToken':'T0KEN-S3CRET'}";
  const Result<Message> message = MakeAzureDevOpsFormatter("ci_callback")->Format([&] {
    Notification notification = RunEnd("WorkflowFailed", "");
    testing::EditWorkflow(notification).parameters.emplace_back("ci_callback", broken);
    return notification;
  }());
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(message.error().message(),
            "workflow kubeflow/wf: parameter ci_callback has no key HubName; its Azure DevOps "
            "task is not completed");
}

}  // namespace
}  // namespace kfpevents::azdo
