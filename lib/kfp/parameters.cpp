// Run parameters as CI tools write them (see kfp.hpp).
#include <rapidjson/document.h>

#include "core/strings.hpp"
#include "json/json_fields.hpp"
#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

// A string as it is; anything else as its JSON text.
std::string ValueText(const rapidjson::Value& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  return json::CompactJson(value);
}

}  // namespace

Result<KfpParameters> ParseKfpParameters(const std::string& text) {
  std::string trimmed(Trim(text));
  KfpParameters parameters;
  if (trimmed.empty()) return parameters;
  rapidjson::Document document;
  document.Parse(trimmed.c_str(), trimmed.size());
  // `{"name":..},{"name":..}` without brackets is not JSON by itself: try it as a list.
  if (document.HasParseError() ||
      (document.IsObject() && json::Member(document, "name") && json::Member(document, "value"))) {
    const std::string list = "[" + trimmed + "]";
    rapidjson::Document as_list;
    as_list.Parse(list.c_str(), list.size());
    if (!as_list.HasParseError()) document.Swap(as_list);
  }
  if (document.HasParseError()) {
    return Status::InvalidArgument(
        "parameters: not JSON; give {\"name\":\"n1\",\"value\":\"v1\"},... or {\"n1\":\"v1\"}");
  }
  if (document.IsObject()) {
    for (const auto& member : document.GetObject()) {
      parameters.emplace_back(std::string(member.name.GetString(), member.name.GetStringLength()),
                              ValueText(member.value));
    }
    return parameters;
  }
  if (!document.IsArray()) {
    return Status::InvalidArgument("parameters: must be a list of {name, value} or an object");
  }
  std::size_t index = 0;
  for (const rapidjson::Value& item : document.GetArray()) {
    const rapidjson::Value* name = item.IsObject() ? json::Member(item, "name") : nullptr;
    if (name == nullptr || !name->IsString() || name->GetStringLength() == 0) {
      return Status::InvalidArgument("parameters[" + std::to_string(index) +
                                     "]: needs a \"name\" string");
    }
    const rapidjson::Value* value = json::Member(item, "value");
    parameters.emplace_back(std::string(name->GetString(), name->GetStringLength()),
                            value != nullptr ? ValueText(*value) : std::string());
    ++index;
  }
  return parameters;
}

}  // namespace kfpevents
