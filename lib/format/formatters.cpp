#include "kfpevents/formatters.hpp"

#include <string>

#include "format/builtin_templates.hpp"
#include "plugin/registry.hpp"

namespace kfpevents {

std::vector<std::string> BuiltinFormatNames() {
  return {"kfp",   "kfp-extended", "cloudevents", "cloudevents-binary",
          "slack", "teams",        "pagerduty"};
}

Result<std::unique_ptr<MessageFormatter>> MakeFormatter(std::string_view name,
                                                        const TemplateOptions& options) {
  if (name == "slack") return format::MakeTemplateFormatter(format::kSlackTemplate, "", options, true);
  if (name == "teams") return format::MakeTemplateFormatter(format::kTeamsTemplate, "", options, false);
  if (name == "pagerduty") {
    bool keyed = false;
    for (const auto& [field, value] : options.fields) keyed |= field == "routing_key";
    if (!keyed) {
      return Status::InvalidArgument(
          "format pagerduty needs the integration's routing key as a field: fieldFiles: "
          "{routing_key: /path/to/the/key} (or fields: {routing_key: ...})");
    }
    return format::MakeTemplateFormatter(format::kPagerDutyTemplate, "", options, false);
  }
  if (name == "kfp") return MakeKfpFormatter();
  if (name == "kfp-extended") return MakeKfpExtendedFormatter();
  if (name == "cloudevents") return MakeCloudEventsFormatter(CloudEventsMode::kStructured);
  if (name == "cloudevents-binary") return MakeCloudEventsFormatter(CloudEventsMode::kBinary);
  if (const FormatterFactory registered = plugin::RegisteredFormat(name)) {
    std::unique_ptr<MessageFormatter> made = registered();
    if (made) return made;
    return Status::Internal("the factory of format \"" + std::string(name) + "\" made nothing");
  }
  std::string known;
  std::vector<std::string> names = BuiltinFormatNames();
  for (std::string& registered : plugin::RegisteredFormatNames()) names.push_back(registered);
  for (const std::string& each : names) known += known.empty() ? each : ", " + each;
  return Status::InvalidArgument("unknown format \"" + std::string(name) + "\" (known: " + known +
                                 ")");
}

}  // namespace kfpevents
