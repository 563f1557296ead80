// Workflows are summarized with simdjson's on-demand reader: only the fields of the summary are
// decoded, and the bulk of a Workflow (templates, node inputs and outputs, managed fields) is
// skipped by its structure. No DOM is ever built.
#include "argo/decoders.hpp"
#include "argo/kfp_v2.hpp"
#include "core/base64.hpp"
#include "core/gunzip.hpp"
#include "json/on_demand.hpp"

namespace kfpevents::argo {
namespace {

using json::ForEachElement;
using json::ForEachMember;
using json::ReadString;
using json::TypeIs;
using json::od::json_type;
using simdjson::error_code;
using simdjson::SUCCESS;

error_code ReadStringMap(json::od::value value, std::map<std::string, std::string>& out) {
  return ForEachMember(value, [&](std::string_view key, json::od::value child) {
    bool string = false;  // checked first: out[key] would add the key
    SIMDJSON_TRY(TypeIs(child, json_type::string, string));
    return string ? ReadString(child, out[std::string(key)]) : SUCCESS;
  });
}

error_code ReadMetadata(json::od::value value, WorkflowInfo& info) {
  return ForEachMember(value, [&](std::string_view key, json::od::value child) {
    if (key == "name") return ReadString(child, info.name);
    if (key == "generateName") return ReadString(child, info.generate_name);
    if (key == "namespace") return ReadString(child, info.namespace_name);
    if (key == "uid") return ReadString(child, info.uid);
    if (key == "resourceVersion") return ReadString(child, info.resource_version);
    if (key == "labels") return ReadStringMap(child, info.labels);
    if (key == "annotations") return ReadStringMap(child, info.annotations);
    return SUCCESS;
  });
}

// spec.arguments.parameters: [{name, value}, ...]; one without a name says nothing.
error_code ReadParameters(json::od::value value, WorkflowInfo& info) {
  return ForEachElement(value, [&](json::od::value item) {
    Parameter parameter;
    SIMDJSON_TRY(ForEachMember(item, [&](std::string_view key, json::od::value child) {
      if (key == "name") return ReadString(child, parameter.name);
      if (key == "value") return ReadString(child, parameter.value);
      return SUCCESS;
    }));
    if (!parameter.name.empty()) info.parameters.push_back(std::move(parameter));
    return SUCCESS;
  });
}

// A KFP 2.x run's parameters: the runtime-config argument of the entrypoint's `root-driver` task,
// in spec.templates[].dag.tasks[]. Only that one value is copied: Kubernetes writes a
// parameter's name before its value, so the compiler's large task and component texts are
// skipped unread.
error_code ReadRootDriverConfig(json::od::value task, std::string& runtime_config) {
  std::string task_name;
  std::string config;
  SIMDJSON_TRY(ForEachMember(task, [&](std::string_view key, json::od::value child) {
    if (key == "name") return ReadString(child, task_name);
    if (key != "arguments") return SUCCESS;
    return ForEachMember(child, [&](std::string_view arguments_key, json::od::value list) {
      if (arguments_key != "parameters") return SUCCESS;
      return ForEachElement(list, [&](json::od::value item) {
        std::string name;
        return ForEachMember(item, [&](std::string_view field, json::od::value field_value) {
          if (field == "name") return ReadString(field_value, name);
          return field == "value" && name == "runtime-config" ? ReadString(field_value, config)
                                                              : SUCCESS;
        });
      });
    });
  }));
  if (task_name == "root-driver" && !config.empty()) runtime_config = std::move(config);
  return SUCCESS;
}

error_code ReadTemplates(json::od::value templates, std::string& runtime_config) {
  return ForEachElement(templates, [&](json::od::value item) {
    return ForEachMember(item, [&](std::string_view key, json::od::value dag) {
      if (key != "dag") return SUCCESS;
      return ForEachMember(dag, [&](std::string_view dag_key, json::od::value tasks) {
        if (dag_key != "tasks") return SUCCESS;
        return ForEachElement(tasks, [&](json::od::value task) {
          return ReadRootDriverConfig(task, runtime_config);
        });
      });
    });
  });
}

error_code ReadSpec(json::od::value value, WorkflowInfo& info, std::string& runtime_config) {
  return ForEachMember(value, [&](std::string_view key, json::od::value child) {
    if (key == "templates") return ReadTemplates(child, runtime_config);
    if (key != "arguments") return SUCCESS;
    return ForEachMember(child, [&](std::string_view arguments_key, json::od::value list) {
      return arguments_key == "parameters" ? ReadParameters(list, info) : SUCCESS;
    });
  });
}

error_code ReadNode(json::od::value value, NodeSummary& node) {
  return ForEachMember(value, [&](std::string_view key, json::od::value child) {
    if (key == "id") return ReadString(child, node.id);
    if (key == "name") return ReadString(child, node.name);
    if (key == "displayName") return ReadString(child, node.display_name);
    if (key == "type") return ReadString(child, node.type);
    if (key == "templateName") return ReadString(child, node.template_name);
    if (key == "phase") return ReadString(child, node.phase);
    if (key == "message") return ReadString(child, node.message);
    if (key == "startedAt") return ReadString(child, node.started_at);
    if (key == "finishedAt") return ReadString(child, node.finished_at);
    return SUCCESS;  // inputs, outputs, children, resourcesDuration...: skipped unread
  });
}

// status.nodes maps node id -> node; a value that is no object is no node.
error_code ReadNodes(json::od::value nodes, WorkflowInfo& info) {
  return ForEachMember(nodes, [&](std::string_view id, json::od::value node) {
    bool object = false;
    SIMDJSON_TRY(TypeIs(node, json_type::object, object));
    if (!object) return SUCCESS;
    info.nodes.emplace_back();
    info.nodes.back().id = id;
    return ReadNode(node, info.nodes.back());
  });
}

// What one Workflow object gave, read or not: a BOOKMARK's object has a resourceVersion only,
// and a watch line keeps its uid and resourceVersion even when the summary is refused.
struct WorkflowRead {
  WorkflowInfo info;
  bool saw_metadata = false;
  std::string runtime_config;    // a KFP 2.x run's root driver's
  std::string compressed_nodes;  // status.compressedNodes: base64 of gzip of status.nodes
  std::string offloaded_nodes;   // status.offloadNodeStatusVersion

  Result<WorkflowInfo> Finish() && {
    if (!saw_metadata) return Status::InvalidArgument("Workflow has no metadata");
    if (info.name.empty()) return Status::InvalidArgument("Workflow has no metadata.name");
    if (info.nodes.empty() && !compressed_nodes.empty()) {
      const Status inflated = ReadCompressedNodes();
      if (!inflated.ok()) {
        info.nodes.clear();
        info.nodes_unread = "its status.compressedNodes cannot be read: " + inflated.message();
      }
    } else if (info.nodes.empty() && !offloaded_nodes.empty()) {
      info.nodes_unread =
          "its node status is offloaded to Argo's database "
          "(offloadNodeStatusVersion " +
          offloaded_nodes + ")";
    }
    ApplyKfpV2View(info, runtime_config);
    return std::move(info);
  }

 private:
  // Past Argo's size limit the controller moves status.nodes here. A hostile object must not
  // exhaust memory: the inflated text is bounded well above any real run's.
  static constexpr std::size_t kMaxInflatedNodes = 64 * 1024 * 1024;

  Status ReadCompressedNodes() {
    const std::optional<std::string> gzipped = DecodeBase64(compressed_nodes);
    if (!gzipped) return Status::InvalidArgument("not base64");
    Result<std::string> nodes = Gunzip(*gzipped, kMaxInflatedNodes);
    if (!nodes) return nodes.error();
    return json::ReadObjectOnDemand(*nodes, nodes->capacity(), "", "not a JSON object of nodes",
                                    [&](json::od::value root) { return ReadNodes(root, info); });
  }
};

error_code ReadStatus(json::od::value value, WorkflowRead& out) {
  WorkflowInfo& info = out.info;
  return ForEachMember(value, [&](std::string_view key, json::od::value child) {
    if (key == "phase") return ReadString(child, info.phase);
    if (key == "message") return ReadString(child, info.message);
    if (key == "startedAt") return ReadString(child, info.started_at);
    if (key == "finishedAt") return ReadString(child, info.finished_at);
    if (key == "compressedNodes") return ReadString(child, out.compressed_nodes);
    if (key == "offloadNodeStatusVersion") return ReadString(child, out.offloaded_nodes);
    return key == "nodes" ? ReadNodes(child, info) : SUCCESS;
  });
}

// A Workflow object (the caller checked that `value` is one).
error_code ReadWorkflow(json::od::value value, WorkflowRead& out) {
  return ForEachMember(value, [&](std::string_view key, json::od::value child) {
    if (key == "metadata") {
      bool object = false;
      SIMDJSON_TRY(TypeIs(child, json_type::object, object));
      out.saw_metadata = out.saw_metadata || object;
      return ReadMetadata(child, out.info);
    }
    if (key == "spec") return ReadSpec(child, out.info, out.runtime_config);
    if (key == "status") return ReadStatus(child, out);
    return SUCCESS;
  });
}

constexpr const char* kNotAnObject = "a Workflow must be a JSON object";

}  // namespace

Result<WorkflowInfo> SummarizeWorkflow(std::string_view json, std::size_t capacity) {
  WorkflowRead read;
  const Status parsed =
      json::ReadObjectOnDemand(json, capacity, "", kNotAnObject,
                               [&](json::od::value root) { return ReadWorkflow(root, read); });
  if (!parsed.ok()) return parsed;
  return std::move(read).Finish();
}

Result<WorkflowWatchLine> SummarizeWorkflowWatchLine(std::string_view line) {
  WorkflowWatchLine out;
  const Status parsed = json::ReadObjectOnDemand(
      line, 0, "watch line: ", "not a JSON object", [&](json::od::value root) {
        return ForEachMember(root, [&](std::string_view key, json::od::value child) {
          if (key == "type") return ReadString(child, out.type);
          if (key != "object") return SUCCESS;
          if (out.type == "ERROR") {  // the object is a Status (the server sends "type" first)
            return ForEachMember(child, [&](std::string_view status_key, json::od::value field) {
              if (status_key == "reason") return ReadString(field, out.status_reason);
              if (status_key == "message") return ReadString(field, out.status_message);
              if (status_key != "code") return SUCCESS;
              bool number = false;
              SIMDJSON_TRY(TypeIs(field, json_type::number, number));
              std::int64_t code = 0;
              if (number && !field.get_int64().get(code) && code >= 0 && code < 1000) {
                out.status_code = static_cast<int>(code);
              }
              return SUCCESS;
            });
          }
          bool object = false;
          SIMDJSON_TRY(TypeIs(child, json_type::object, object));
          if (!object) return SUCCESS;
          WorkflowRead read;
          SIMDJSON_TRY(ReadWorkflow(child, read));
          out.resource_version = read.info.resource_version;
          out.uid = read.info.uid;
          out.workflow = std::move(read).Finish();
          return SUCCESS;
        });
      });
  if (!parsed.ok()) return parsed;
  if (out.type.empty()) return Status::InvalidArgument("watch line has no type");
  return out;
}

Result<WorkflowListPage> SummarizeWorkflowList(std::string_view body, std::size_t capacity) {
  WorkflowListPage page;
  const Status parsed = json::ReadObjectOnDemand(
      body, capacity, "workflow list: ", "not a JSON object", [&](json::od::value root) {
        return ForEachMember(root, [&](std::string_view key, json::od::value child) {
          if (key == "metadata") {
            return ForEachMember(child, [&](std::string_view meta_key, json::od::value field) {
              if (meta_key == "resourceVersion") return ReadString(field, page.resource_version);
              if (meta_key == "continue") return ReadString(field, page.continue_token);
              return SUCCESS;
            });
          }
          if (key != "items") return SUCCESS;
          return ForEachElement(child, [&](json::od::value item) {
            bool object = false;
            SIMDJSON_TRY(TypeIs(item, json_type::object, object));
            if (!object) return SUCCESS;
            WorkflowRead read;
            SIMDJSON_TRY(ReadWorkflow(item, read));
            Result<WorkflowInfo> workflow = std::move(read).Finish();
            if (workflow) {
              page.workflows.push_back(std::move(*workflow));
            } else {
              page.bad_items.push_back(workflow.error().message());
            }
            return SUCCESS;
          });
        });
      });
  if (!parsed.ok()) return parsed;
  return page;
}

}  // namespace kfpevents::argo
