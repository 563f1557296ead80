#include "azdo/callback_info.hpp"

#include <rapidjson/document.h>

#include "core/strings.hpp"
#include "http/url.hpp"
#include "json/go_json.hpp"
#include "json/json_fields.hpp"
#include "kfpevents/kfp_steps.hpp"

namespace kfpevents::azdo {
namespace {

// Python's repr of a dict of strings, made JSON: single-quoted strings become double-quoted
// ones (with `"` escaped); anything outside a string is kept. Backslash escapes are kept as
// they are, which JSON reads the same way for the characters repr escapes in these values.
std::string PythonDictToJson(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  char quote = 0;  // the quote of the string being copied, 0 outside strings
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote == 0) {
      if (c == '\'' || c == '"') {
        quote = c;
        out += '"';
      } else {
        out += c;
      }
      continue;
    }
    if (c == '\\' && i + 1 < text.size()) {
      if (text[i + 1] == '\'') {
        out += '\'';  // \' is not a JSON escape
      } else {
        out += c;
        out += text[i + 1];
      }
      ++i;
    } else if (c == quote) {
      quote = 0;
      out += '"';
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// Each callback key, the Azure DevOps predefined variable that fills it (by its environment
// name), and where it is kept.
struct CallbackField {
  const char* key;
  const char* variable;
  std::string CallbackInfo::*value;
};
constexpr CallbackField kCallbackFields[] = {
    {"JobId", "SYSTEM_JOBID", &CallbackInfo::job_id},
    {"HubName", "SYSTEM_HOSTTYPE", &CallbackInfo::hub_name},
    {"TaskInstanceId", "SYSTEM_TASKINSTANCEID", &CallbackInfo::task_instance_id},
    {"PlanId", "SYSTEM_PLANID", &CallbackInfo::plan_id},
    {"ProjectId", "SYSTEM_TEAMPROJECTID", &CallbackInfo::project_id},
    {"PlanUri", "SYSTEM_COLLECTIONURI", &CallbackInfo::plan_uri},
    {"AuthToken", "SYSTEM_ACCESSTOKEN", &CallbackInfo::auth_token},
};

}  // namespace

std::string CallbackInfoText(const CallbackInfo& info) {
  std::string text = "{";
  for (const CallbackField& field : kCallbackFields) {
    if (text.size() > 1) text += ", ";
    text += std::string("'") + field.key + "': '";
    for (const char c : info.*field.value) {
      if (c == '\\' || c == '\'') text += '\\';
      text += c;
    }
    text += '\'';
  }
  return text + "}";
}

Result<CallbackInfo> ParseCallbackInfo(std::string_view text) {
  const std::string trimmed(Trim(text));
  rapidjson::Document document;
  document.Parse(trimmed.c_str(), trimmed.size());
  if (document.HasParseError()) {
    const std::string converted = PythonDictToJson(trimmed);
    document.Parse(converted.c_str(), converted.size());
  }
  if (document.HasParseError() || !document.IsObject()) {
    return Status::InvalidArgument(
        "is neither a JSON object nor a Python dict of strings ({'JobId': '...', ...})");
  }
  CallbackInfo info;
  const struct {
    const char* key;
    std::string CallbackInfo::*field;
  } keys[] = {
      {"JobId", &CallbackInfo::job_id},
      {"HubName", &CallbackInfo::hub_name},
      {"TaskInstanceId", &CallbackInfo::task_instance_id},
      {"PlanId", &CallbackInfo::plan_id},
      {"ProjectId", &CallbackInfo::project_id},
      {"PlanUri", &CallbackInfo::plan_uri},
      {"AuthToken", &CallbackInfo::auth_token},
  };
  for (const auto& [key, field] : keys) {
    const rapidjson::Value* value = json::Member(document, key);
    if (value == nullptr) return Status::InvalidArgument("has no key " + std::string(key));
    if (!value->IsString() || value->GetStringLength() == 0) {
      return Status::InvalidArgument("key " + std::string(key) + " must be a non-empty string");
    }
    info.*field = std::string(value->GetString(), value->GetStringLength());
  }
  if (Status url = http::CheckWebhookUrl(info.plan_uri); !url.ok()) {
    return Status::InvalidArgument("key PlanUri: " + url.message());
  }
  return info;
}

std::string PlanEventsUrl(const CallbackInfo& info) {
  std::string url = info.plan_uri;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const auto segment = [](const std::string& text) {
    return PercentEncode(text, &IsUriUnreserved);
  };
  return url + "/" + segment(info.project_id) + "/_apis/distributedtask/hubs/" +
         segment(info.hub_name) + "/plans/" + segment(info.plan_id) +
         "/events?api-version=2.0-preview.1";
}

std::string TaskCompletedBody(const CallbackInfo& info, bool succeeded) {
  std::string body = R"({"name":"TaskCompleted")";
  json::AppendGoMember(body, "taskId", info.task_instance_id);
  json::AppendGoMember(body, "jobId", info.job_id);
  json::AppendGoMember(body, "result", succeeded ? "succeeded" : "failed");
  return body + "}";
}

}  // namespace kfpevents::azdo

namespace kfpevents {

Result<std::string> AzureDevOpsCallbackParameter(
    const std::function<std::string(const char* name)>& variable) {
  azdo::CallbackInfo info;
  std::string missing;
  for (const azdo::CallbackField& field : azdo::kCallbackFields) {
    info.*field.value = variable(field.variable);
    if ((info.*field.value).empty()) {
      missing += (missing.empty() ? "" : ", ") + std::string(field.variable);
    }
  }
  if (!missing.empty()) {
    return Status::InvalidArgument(
        "the Azure DevOps callback needs the variables " + missing +
        " (run it in an Azure Pipelines job; map System.AccessToken into SYSTEM_ACCESSTOKEN)");
  }
  return azdo::CallbackInfoText(info);
}

}  // namespace kfpevents
