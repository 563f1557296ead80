#include "argo/decoders.hpp"
#include "json/json_fields.hpp"

namespace kfpevents::argo {

using json::Member;
using json::ObjectMember;
using json::StringMember;

namespace {

NodeSummary DecodeNode(const std::string& id, const rapidjson::Value& node) {
  NodeSummary out;
  out.id = StringMember(node, "id");
  if (out.id.empty()) out.id = id;
  out.name = StringMember(node, "name");
  out.display_name = StringMember(node, "displayName");
  out.type = StringMember(node, "type");
  out.template_name = StringMember(node, "templateName");
  out.phase = StringMember(node, "phase");
  out.message = StringMember(node, "message");
  out.started_at = StringMember(node, "startedAt");
  out.finished_at = StringMember(node, "finishedAt");
  return out;
}

// spec.arguments.parameters[] {name, value}; a value may be absent (valueFrom) and reads as "".
std::vector<std::pair<std::string, std::string>> DecodeParameters(const rapidjson::Value& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  const rapidjson::Value* arguments = ObjectMember(spec, "arguments");
  const rapidjson::Value* parameters =
      arguments != nullptr ? Member(*arguments, "parameters") : nullptr;
  if (parameters == nullptr || !parameters->IsArray()) return out;
  for (const auto& parameter : parameters->GetArray()) {
    std::string name = StringMember(parameter, "name");
    if (!name.empty()) out.emplace_back(std::move(name), StringMember(parameter, "value"));
  }
  return out;
}

}  // namespace

Result<WorkflowInfo> DecodeWorkflow(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = ObjectMember(object, "metadata");
  if (metadata == nullptr) return Status::InvalidArgument("Workflow has no metadata");
  WorkflowInfo info;
  info.name = StringMember(*metadata, "name");
  if (info.name.empty()) return Status::InvalidArgument("Workflow has no metadata.name");
  info.namespace_name = StringMember(*metadata, "namespace");
  info.uid = StringMember(*metadata, "uid");
  info.resource_version = StringMember(*metadata, "resourceVersion");
  info.labels = json::StringMapMember(*metadata, "labels");
  info.annotations = json::StringMapMember(*metadata, "annotations");
  if (const rapidjson::Value* spec = ObjectMember(object, "spec")) {
    info.parameters = DecodeParameters(*spec);
  }
  if (const rapidjson::Value* status = ObjectMember(object, "status")) {
    info.phase = StringMember(*status, "phase");
    info.message = StringMember(*status, "message");
    info.started_at = StringMember(*status, "startedAt");
    info.finished_at = StringMember(*status, "finishedAt");
    if (const rapidjson::Value* nodes = ObjectMember(*status, "nodes")) {
      info.nodes.reserve(nodes->MemberCount());
      for (const auto& entry : nodes->GetObject()) {
        if (!entry.value.IsObject()) continue;
        info.nodes.push_back(DecodeNode(
            std::string(entry.name.GetString(), entry.name.GetStringLength()), entry.value));
      }
    }
  }
  return info;
}

}  // namespace kfpevents::argo
