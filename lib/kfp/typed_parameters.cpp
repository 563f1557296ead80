// Run parameters converted to the types a KFP 2.x pipeline declares (see kfp.hpp): KFP 2.x
// checks each value against its declared type and refuses "3" for an integer.
#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/strings.hpp"
#include "json/json_fields.hpp"
#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

// `text` as the declared `type`, or why it is not one. Older pipeline specs say INT and DOUBLE.
Result<Parameter> Convert(const std::string& name, const std::string& text,
                          const std::string& type) {
  const std::string_view value = Trim(text);
  const auto refuse = [&](const std::string& what) {
    return Status::InvalidArgument("parameter " + name + ": \"" + text + "\" is not " + what +
                                   " (the pipeline declares it " + type + ")");
  };
  if (type == "NUMBER_INTEGER" || type == "INT") {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
      return refuse("an integer");
    }
    return Parameter{name, std::to_string(number), ParameterType::kNumber};
  }
  if (type == "NUMBER_DOUBLE" || type == "DOUBLE") {
    rapidjson::Document number;
    number.Parse(value.data(), value.size());
    if (number.HasParseError() || !number.IsNumber() || !std::isfinite(number.GetDouble())) {
      return refuse("a number");
    }
    return Parameter{name, json::CompactJson(number), ParameterType::kNumber};
  }
  if (type == "BOOLEAN") {
    if (value == "true" || value == "True") return Parameter{name, "true", ParameterType::kBool};
    if (value == "false" || value == "False") {
      return Parameter{name, "false", ParameterType::kBool};
    }
    return refuse("true or false");
  }
  if (type == "LIST" || type == "STRUCT") {
    const bool list = type == "LIST";
    rapidjson::Document parsed;
    parsed.Parse(value.data(), value.size());
    if (parsed.HasParseError() || (list ? !parsed.IsArray() : !parsed.IsObject())) {
      return refuse(list ? "a JSON list" : "a JSON object");
    }
    return Parameter{name, json::CompactJson(parsed),
                     list ? ParameterType::kList : ParameterType::kStruct};
  }
  return Parameter{name, text, ParameterType::kString};  // STRING, and types KFP adds later
}

}  // namespace

Result<KfpTypedParameters> TypeKfpParameters(
    const KfpParameters& parameters,
    const std::vector<std::pair<std::string, std::string>>& declared) {
  KfpTypedParameters typed;
  for (const auto& parameter : parameters) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::string& name = parameter.first;
    const std::string& value = parameter.second;
    const auto found = std::find_if(declared.begin(), declared.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (found == declared.end()) {
      std::string names;
      for (const auto& entry : declared) names += (names.empty() ? "" : ", ") + entry.first;
      return Status::InvalidArgument(
          "parameter " + name + ": the pipeline does not declare it, and KFP 2.x refuses what it " +
          "does not declare (it declares: " + (names.empty() ? "nothing" : names) + ")");
    }
    Result<Parameter> converted = Convert(name, value, found->second);
    if (!converted) return converted.error();
    typed.push_back(std::move(*converted));
  }
  return typed;
}

}  // namespace kfpevents
