// The run a notification starts: its name and parameters rendered from the triggering run.
#include <kainjow/mustache.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "format/template_context.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/transition.hpp"
#include "trigger/kfp_run.hpp"

namespace kfpevents::trigger {
namespace {

std::string AsIs(const std::string& text) { return text; }

Status CheckPart(const std::string& what, const std::string& text, const TemplateOptions& options) {
  Status checked = format::ParseTemplate(text);
  if (checked.ok()) checked = format::CheckTemplate(text, false, options);
  return checked.ok() ? checked : Status::InvalidArgument(what + ": " + checked.message());
}

class RunFormatter final : public MessageFormatter {
 public:
  RunFormatter(RunToStart run, TemplateOptions options)
      : run_(std::move(run)), options_(std::move(options)) {
    if (run_.name.empty()) {
      const std::string& target = !run_.version.pipeline_name.empty() ? run_.version.pipeline_name
                                                                       : run_.version.pipeline_id;
      name_prefix_ = target + " after ";
      run_.name = "{{title}}";
    }
  }

  Status Check() const {
    if (Status name = CheckPart("run.name", run_.name, options_); !name.ok()) return name;
    for (const auto& [parameter, value] : run_.parameters) {
      if (Status checked = CheckPart("run.parameters." + parameter, value, options_);
          !checked.ok()) {
        return checked;
      }
    }
    return Status::Ok();
  }

  Result<Message> Format(const Notification& notification) const override {
    const WorkflowInfo* workflow = notification.workflow.get();
    if (!run_.version.pipeline_name.empty() &&
        PipelineName(workflow) == run_.version.pipeline_name) {
      return Status::NotFound("a run of " + run_.version.pipeline_name +
                              ", the pipeline this trigger starts, does not start it again");
    }
    const kainjow::mustache::data context = format::TemplateContext(notification, options_);
    const std::string id = MessageIdForKey(notification.key);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("name");
    writer.String(name_prefix_ + Render(run_.name, context));
    writer.Key("description");
    const WorkflowRef ref = WorkflowOf(notification.event);
    const std::string run_id = KfpRunId(workflow);
    writer.String("Started by kfp-eventd on " + notification.event.reason + " of " +
                  (run_id.empty() ? "" : "run " + run_id + ", ") + "workflow " +
                  ref.namespace_name + "/" + ref.name + "; trigger " + id);
    writer.Key("parameters");
    writer.StartArray();
    for (const auto& [parameter, value] : run_.parameters) {
      writer.StartArray();
      writer.String(parameter);
      writer.String(Render(value, context));
      writer.EndArray();
    }
    writer.EndArray();
    writer.EndObject();
    return Message{id, buffer.GetString(), "application/json", {}, ""};
  }

 private:
  static std::string Render(const std::string& text, const kainjow::mustache::data& context) {
    kainjow::mustache::mustache renderer(text);
    renderer.set_custom_escape(&AsIs);  // the values go into JSON through the writer
    return renderer.render(context);
  }

  RunToStart run_;
  const TemplateOptions options_;
  std::string name_prefix_;
};

}  // namespace

Result<std::unique_ptr<MessageFormatter>> MakeRunFormatter(RunToStart run,
                                                           TemplateOptions options) {
  auto formatter = std::make_unique<RunFormatter>(std::move(run), std::move(options));
  if (Status checked = formatter->Check(); !checked.ok()) return checked;
  return std::unique_ptr<MessageFormatter>(std::move(formatter));
}

}  // namespace kfpevents::trigger
