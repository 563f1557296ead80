#include "config/settings_json.hpp"

#include <regex>

namespace kfpevents::config {
namespace {

void AppendString(std::string& out, const std::string& text) {
  out += '"';
  for (const unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void Append(std::string& out, const YAML::Node& node) {
  if (!node || node.IsNull()) {
    out += "null";
  } else if (node.IsMap()) {
    out += '{';
    bool first = true;
    for (const auto& entry : node) {
      if (!first) out += ',';
      first = false;
      AppendString(out, entry.first.IsScalar() ? entry.first.Scalar() : "");
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
      AppendString(out, text);
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
