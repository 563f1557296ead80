#include "argo/kfp_v2.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>

#include "json/json_fields.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents::argo {
namespace {

// The compiler's template names. Executor and impl templates get prefixes for retries and pod
// metadata ("retry-system-container-executor", "metadata-1-0-system-container-impl"); an
// importer that downloads to the workspace is "system-importer-workspace".
bool IsDriverTemplate(std::string_view name) {
  return name == "system-dag-driver" || name == "system-container-driver";
}
bool IsTaskTemplate(std::string_view name) {
  return name.ends_with("system-container-executor") || name.starts_with("system-importer");
}
bool IsExecutorTemplate(std::string_view name) { return name.ends_with("system-container-impl"); }
// A task's own driver, its sibling "<task>-driver": "retry-system-container-driver-always" when
// the task retries its driver too; never the hook that finalizes such a retry.
bool IsContainerDriverTemplate(std::string_view name) {
  return name.find("system-container-driver") != std::string_view::npos &&
         !name.starts_with("finalize-");
}

bool IsKfpV2(const WorkflowInfo& workflow, std::string_view runtime_config) {
  if (!runtime_config.empty()) return true;
  return std::any_of(workflow.nodes.begin(), workflow.nodes.end(), [](const NodeSummary& node) {
    return IsDriverTemplate(node.template_name) || IsTaskTemplate(node.template_name);
  });
}

// The most specific failure text of the task named `task_name`: the message of its executor
// Pod, the latest attempt's when a retry wrapper ("executor", with "executor(0)", "executor(1)"
// under it) ran several; the wrapper's own message only when no attempt has one.
const NodeSummary* ExecutorOf(const WorkflowInfo& workflow, const std::string& task_name) {
  const std::string executor = task_name + ".executor";
  const NodeSummary* latest = nullptr;
  const auto later = [&](const NodeSummary& node) {
    if (latest == nullptr) return true;
    const bool wrapper = node.type == "Retry";
    const bool latest_wrapper = latest->type == "Retry";
    if (wrapper != latest_wrapper) return latest_wrapper;
    return node.started_at >= latest->started_at;
  };
  for (const NodeSummary& node : workflow.nodes) {
    if (!IsExecutorTemplate(node.template_name) || node.message.empty()) continue;
    if (node.name != executor && node.name.rfind(executor + "(", 0) != 0) continue;
    if (later(node)) latest = &node;
  }
  return latest;
}

bool Failed(const std::string& phase) { return phase == "Failed" || phase == "Error"; }

// The latest attempt with a message of a node that Argo retried ("<name>(0)", "<name>(1)").
const NodeSummary* LastAttemptOf(const WorkflowInfo& workflow, const std::string& full_name) {
  const NodeSummary* latest = nullptr;
  for (const NodeSummary& node : workflow.nodes) {
    if (node.message.empty() || node.name.rfind(full_name + "(", 0) != 0) continue;
    if (latest == nullptr || node.started_at >= latest->started_at) latest = &node;
  }
  return latest;
}

// The task whose driver `node` is, when that driver failed: the task never ran, and KFP shows it
// failed with the driver's reason. "" for any other node.
std::string TaskOfFailedDriver(const WorkflowInfo& workflow, NodeSummary& node) {
  static constexpr std::string_view kSuffix = "-driver";
  if (!IsContainerDriverTemplate(node.template_name) || !Failed(node.phase)) return {};
  const std::size_t dot = node.name.rfind('.');
  const std::string name = !node.display_name.empty() ? node.display_name
                           : dot == std::string::npos ? node.name
                                                      : node.name.substr(dot + 1);
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return {};  // an attempt
  if (const NodeSummary* attempt = LastAttemptOf(workflow, node.name)) {
    node.message = attempt->message;
  }
  return name.substr(0, name.size() - kSuffix.size()) + LoopIndices(node.name);
}

// A google.protobuf.Value as JSON.
Parameter TypedParameter(std::string name, const rapidjson::Value& value) {
  Parameter parameter{std::move(name), {}, ParameterType::kString};
  if (value.IsString()) {
    parameter.value.assign(value.GetString(), value.GetStringLength());
    return parameter;
  }
  parameter.value = json::CompactJson(value);
  parameter.type = value.IsNumber()   ? ParameterType::kNumber
                   : value.IsBool()   ? ParameterType::kBool
                   : value.IsArray()  ? ParameterType::kList
                   : value.IsObject() ? ParameterType::kStruct
                                      : ParameterType::kNull;
  return parameter;
}

// The older pipelinespec Value: {"stringValue": ...} | {"intValue": "3"} | {"doubleValue": 0.5}.
Parameter LegacyParameter(std::string name, const rapidjson::Value& value) {
  if (value.IsObject()) {
    for (const char* key : {"stringValue", "intValue", "doubleValue"}) {
      const auto member = value.FindMember(key);
      if (member == value.MemberEnd()) continue;
      Parameter parameter = TypedParameter(std::move(name), member->value);
      if (std::string_view(key) != "stringValue") parameter.type = ParameterType::kNumber;
      return parameter;
    }
  }
  return TypedParameter(std::move(name), value);
}

}  // namespace

Result<std::vector<Parameter>> ParseRuntimeConfig(std::string_view text) {
  rapidjson::Document config;
  config.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (config.HasParseError() || !config.IsObject()) {
    return Status::InvalidArgument("runtime-config is not a JSON object");
  }
  std::vector<Parameter> parameters;
  const auto values = config.FindMember("parameterValues");
  const auto legacy = config.FindMember("parameters");
  if (values != config.MemberEnd() && values->value.IsObject()) {
    for (const auto& member : values->value.GetObject()) {
      parameters.push_back(TypedParameter(member.name.GetString(), member.value));
    }
  } else if (legacy != config.MemberEnd() && legacy->value.IsObject()) {
    for (const auto& member : legacy->value.GetObject()) {
      parameters.push_back(LegacyParameter(member.name.GetString(), member.value));
    }
  }
  return parameters;
}

void ApplyKfpV2View(WorkflowInfo& workflow, std::string_view runtime_config) {
  if (!IsKfpV2(workflow, runtime_config)) return;
  workflow.kfp_v2 = true;
  Result<std::vector<Parameter>> parameters = ParseRuntimeConfig(runtime_config);
  workflow.parameters = parameters ? std::move(*parameters) : std::vector<Parameter>();
  for (NodeSummary& node : workflow.nodes) {
    if (std::string task = TaskOfFailedDriver(workflow, node); !task.empty()) {
      node.task = std::move(task);
      continue;
    }
    if (!IsTaskTemplate(node.template_name)) continue;
    const std::string& name = node.display_name.empty() ? node.name : node.display_name;
    node.task = name + LoopIndices(node.name);
    if (!Failed(node.phase)) continue;
    if (const NodeSummary* executor = ExecutorOf(workflow, node.name)) {
      node.message = executor->message;
    }
  }
}

// Argo names an iteration "<task>(<index>:<item>)", and KFP's loop task is "iteration-iterations".
std::string LoopIndices(std::string_view full_name) {
  static constexpr std::string_view kIterations = "-iterations(";
  std::string indices;
  for (std::size_t at = full_name.find(kIterations); at != std::string_view::npos;
       at = full_name.find(kIterations, at + 1)) {
    const char* begin = full_name.data() + at + kIterations.size();
    const char* end = full_name.data() + full_name.size();
    unsigned index = 0;
    const auto [stop, error] = std::from_chars(begin, end, index);
    if (error == std::errc() && stop != end && *stop == ':') {
      indices += "[" + std::string(begin, stop) + "]";
    }
  }
  return indices;
}

void GiveTaskItsReason(WorkflowEvent& event, const WorkflowInfo& workflow) {
  if (!workflow.kfp_v2 || !IsNodeEvent(event)) return;
  const std::string phase = EventPhase(event);
  if (!Failed(phase)) return;
  const NodeSummary* node = FindNodeByName(workflow, NodeFullName(event));
  if (node == nullptr || node->task.empty() || node->message.empty()) return;
  event.message = phase + " node " + node->name + ": " + node->message;
}

bool LooksLikeKfpV2Plumbing(const std::string& full_name, const std::string& workflow_name) {
  if (full_name == workflow_name) return true;
  const std::size_t dot = full_name.rfind('.');
  const std::string_view last =
      std::string_view(full_name).substr(dot == std::string::npos ? 0 : dot + 1);
  // The SDK names the groups it compiles into sub-DAGs "for-loop-2", "condition-3",
  // "condition-branches-4", "exit-handler-1".
  const auto group = [&](std::string_view prefix) {
    if (!last.starts_with(prefix) || last.size() == prefix.size()) return false;
    return std::all_of(last.begin() + static_cast<long>(prefix.size()), last.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  return last == "root" || last == "executor" || last.starts_with("executor(") ||
         last == "iteration-item" || last.ends_with("-driver") ||
         last.find("-iterations") != std::string_view::npos || group("for-loop-") ||
         group("condition-") || group("condition-branches-") || group("exit-handler-");
}

}  // namespace kfpevents::argo
