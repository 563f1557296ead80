#include "config/settings_json.hpp"

#include <regex>

#include "json/go_json.hpp"

namespace kfpevents::config {
namespace {

void Append(std::string& out, const YAML::Node& node) {
  if (!node || node.IsNull()) {
    out += "null";
  } else if (node.IsMap()) {
    out += '{';
    bool first = true;
    for (const auto& entry : node) {
      if (!first) out += ',';
      first = false;
      json::AppendGoString(out, entry.first.IsScalar() ? entry.first.Scalar() : "");
      out += ':';
      Append(out, entry.second);
    }
    out += '}';
  } else if (node.IsSequence()) {
    out += '[';
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (i != 0) out += ',';
      Append(out, node[i]);
    }
    out += ']';
  } else {
    // YAML 1.2 core schema: only plain scalars may be booleans or numbers.
    static const std::regex kNumber(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
    const std::string& text = node.Scalar();
    const bool plain = node.Tag() == "?";
    if (plain && (text == "true" || text == "false" || std::regex_match(text, kNumber))) {
      out += text;
    } else {
      json::AppendGoString(out, text);
    }
  }
}

}  // namespace

std::string SettingsJson(const YAML::Node& node) {
  std::string out;
  Append(out, node);
  return out;
}

}  // namespace kfpevents::config
