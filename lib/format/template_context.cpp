#include "format/template_context.hpp"

#include <regex>

#include "core/rfc3339.hpp"
#include "core/strings.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents::format {
namespace {

using kainjow::mustache::data;

// What a message shows, so that it stays readable and within what chat services accept (Slack: 3,000
// characters a section; Teams: 28 KB a card): names and values are cut, lists end with a count
// of the rest. docs/TEMPLATES.md states the same limits.
constexpr std::size_t kMaxNameChars = 100;
constexpr std::size_t kMaxReasonChars = 300;
constexpr std::size_t kMaxValueChars = 200;
constexpr std::size_t kMaxListedTasks = 5;
constexpr std::size_t kMaxListedParameters = 20;

// "1h 2m 3s", "45s"; "" when either end is unknown.
std::string Duration(const std::string& started, const std::string& finished) {
  const std::optional<std::int64_t> from = ParseRfc3339Seconds(started);
  const std::optional<std::int64_t> to = ParseRfc3339Seconds(finished);
  if (!from || !to || *to < *from) return {};
  std::int64_t left = *to - *from;
  std::string out;
  for (const auto& [unit, seconds] : {std::pair{"d", 86400}, {"h", 3600}, {"m", 60}}) {
    if (left >= seconds || !out.empty()) {
      out += std::to_string(left / seconds) + unit + " ";
      left %= seconds;
    }
  }
  return out + std::to_string(left) + "s";
}

// A failed step as users name it: a KFP 2.x run's tasks, a KFP 1.x or Argo run's Pods.
bool IsFailedStep(const NodeSummary& node, bool kfp_v2) {
  if (node.phase != "Failed" && node.phase != "Error") return false;
  return kfp_v2 ? !node.task.empty() : node.type == "Pod";
}

std::string ParameterText(const Parameter& parameter) { return parameter.value; }

// "line L, column C" of a character offset.
std::string Where(const std::string& text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

data TemplateContext(const Notification& notification, const TemplateOptions& options) {
  const WorkflowEvent& event = notification.event;
  const WorkflowInfo* workflow = notification.workflow.get();
  const WorkflowRef ref = WorkflowOf(event);
  data context;
  context.set("message_id", MessageIdForKey(notification.key));
  context.set("reason", event.reason);
  context.set("message", Shorten(event.message, kMaxReasonChars));
  context.set("event_time", event.last_timestamp);
  context.set("namespace", workflow ? workflow->namespace_name : ref.namespace_name);
  context.set("workflow", workflow ? workflow->name : ref.name);
  context.set("workflow_uid", workflow ? workflow->uid : ref.uid);
  const std::string run_id = KfpRunId(workflow);
  context.set("run_id", run_id);
  const std::string run_name = RunName(workflow);
  context.set("run_name", Shorten(run_name, kMaxNameChars));
  const std::string pipeline = Shorten(PipelineName(workflow), kMaxNameChars);
  context.set("pipeline", pipeline);
  context.set("has_pipeline", !pipeline.empty());
  // What people call the run: its name in KFP, else its workflow's.
  context.set("title",
              Shorten(!run_name.empty() ? run_name : workflow ? workflow->name : ref.name,
                      kMaxNameChars));
  context.set("phase", workflow ? workflow->phase : "");
  const std::string outcome = RunOutcome(event, workflow);
  context.set("outcome", outcome);
  context.set("succeeded", outcome == "Succeeded");
  context.set("failed", outcome == "Failed" || outcome == "Error" || outcome == "TimedOut");
  context.set("timed_out", outcome == "TimedOut");
  context.set("started_at", workflow ? workflow->started_at : "");
  context.set("finished_at", workflow ? workflow->finished_at : "");
  const std::string duration =
      workflow ? Duration(workflow->started_at, workflow->finished_at) : std::string();
  context.set("duration", duration);
  context.set("has_duration", !duration.empty());
  const bool node_event = IsNodeEvent(event);
  context.set("is_node", node_event);
  context.set("node", node_event ? Shorten(NodeDisplayName(event, workflow), kMaxNameChars) : "");
  context.set("node_phase", node_event ? EventPhase(event) : "");

  data failed{data::type::list};
  data parameters{data::type::list};
  data params{data::type::object};
  std::size_t failed_count = 0;
  std::size_t parameter_count = 0;
  if (workflow) {
    for (const NodeSummary& node : workflow->nodes) {
      if (!IsFailedStep(node, workflow->kfp_v2) || ++failed_count > kMaxListedTasks) continue;
      data task;
      task.set("name", Shorten(!node.task.empty()           ? node.task
                               : !node.display_name.empty() ? node.display_name
                                                            : node.name,
                               kMaxNameChars));
      task.set("message", Shorten(node.message, kMaxReasonChars));
      if (failed_count == 1) context.set("failed_task", task);
      failed.push_back(task);
    }
    for (const Parameter& parameter : workflow->parameters) {
      params.set(parameter.name, ParameterText(parameter));  // every one, whole: for triggers
      if (++parameter_count > kMaxListedParameters) continue;
      data item;
      item.set("name", Shorten(parameter.name, kMaxNameChars));
      item.set("value", Shorten(ParameterText(parameter), kMaxValueChars));
      parameters.push_back(item);
    }
  }
  const auto set_rest = [&](const std::string& name, std::size_t count, std::size_t listed) {
    context.set("has_more_" + name, count > listed);
    context.set("more_" + name, count > listed ? std::to_string(count - listed) : "");
  };
  if (failed_count == 0) context.set("failed_task", data{data::type::object});
  context.set("has_failed_tasks", failed_count > 0);
  context.set("failed_task_count", std::to_string(failed_count));
  context.set("failed_tasks", failed);
  set_rest("failed_tasks", failed_count, kMaxListedTasks);
  context.set("has_parameters", parameter_count > 0);
  context.set("parameters", parameters);
  context.set("params", params);
  set_rest("parameters", parameter_count, kMaxListedParameters);

  std::string url;
  if (!options.kfp_ui_url.empty() && !run_id.empty()) {
    url = options.kfp_ui_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += "/#/runs/details/" + run_id;
  }
  context.set("run_url", url);
  context.set("has_run_url", !url.empty());
  data fields;
  for (const auto& [name, value] : options.fields) fields.set(name, value);
  context.set("fields", fields);
  return context;
}

const std::set<std::string>& TemplateNames() {
  static const std::set<std::string> kNames = {
      "message_id", "reason", "message", "event_time", "namespace", "workflow", "workflow_uid",
      "run_id", "run_name", "pipeline", "has_pipeline", "title", "phase", "outcome", "succeeded", "failed", "timed_out",
      "started_at", "finished_at", "duration", "has_duration", "is_node", "node", "node_phase",
      "has_failed_tasks", "failed_tasks", "failed_task.name", "failed_task.message",
      "failed_task_count",
      "has_more_failed_tasks", "more_failed_tasks",
      "has_parameters", "parameters", "has_more_parameters", "more_parameters", "run_url",
      "has_run_url", "fields",
      // list items: failed_tasks and parameters
      "name", "value", "."};
  return kNames;
}

Status ParseTemplate(const std::string& text) {
  kainjow::mustache::mustache parsed(text);
  if (parsed.is_valid()) return Status::Ok();
  std::smatch match;
  std::string error = parsed.error_message();
  static const std::regex kAt(R"(^(.*) at (\d+)$)");
  if (std::regex_match(error, match, kAt)) {
    error = Where(text, std::stoul(match[2].str())) + ": " + match[1].str();
  }
  return Status::InvalidArgument(error);
}

Status CheckTemplate(const std::string& text, bool json, const TemplateOptions& options) {
  static const std::regex kTag(R"(\{\{(\{?)\s*([#^/&!>=]?)\s*([^}]*?)\s*\}?\}\})");
  const std::set<std::string>& names = TemplateNames();
  for (std::sregex_iterator it(text.begin(), text.end(), kTag), end; it != end; ++it) {
    const std::string where = Where(text, static_cast<std::size_t>(it->position()));
    const std::string sigil = (*it)[2].str();
    const std::string name = (*it)[3].str();
    if (sigil == "!") continue;  // a comment
    if (sigil == ">" || sigil == "=") {
      return Status::InvalidArgument(where + ": partials and delimiter changes are not supported");
    }
    if (json && (!(*it)[1].str().empty() || sigil == "&")) {
      return Status::InvalidArgument(where + ": {{{" + name + "}}} would place \"" + name +
                                     "\" unescaped into a JSON body; use {{" + name + "}}");
    }
    const std::string head = name.substr(0, name.find('.'));
    if (head == "params" && name.size() > 7) continue;  // a run's own parameters vary by run
    if (head == "fields" && name.size() > 7) {
      const std::string field = name.substr(7);
      bool known = false;
      for (const auto& [key, value] : options.fields) known |= key == field;
      if (!known) {
        return Status::InvalidArgument(where + ": no field \"" + field +
                                       "\" is configured (fields: …)");
      }
      continue;
    }
    if (names.count(name) == 0) {
      return Status::InvalidArgument(where + ": unknown field \"" + name +
                                     "\" (docs/TEMPLATES.md lists the fields)");
    }
  }
  return Status::Ok();
}

}  // namespace kfpevents::format
