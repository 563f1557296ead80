// A subscriber's `settings:` mapping as the JSON object plugins receive.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace kfpevents::config {

// Mappings become objects, sequences arrays, null null; plain (unquoted) scalars that read as
// YAML 1.2 booleans or numbers become JSON booleans and numbers; every other scalar a string.
std::string SettingsJson(const YAML::Node& node);

}  // namespace kfpevents::config
