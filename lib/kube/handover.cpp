#include <rapidjson/document.h>

#include "core/rfc3339.hpp"
#include "json/go_json.hpp"
#include "json/json_fields.hpp"
#include "kfpevents/leader.hpp"
#include "kube/lease.hpp"

namespace kfpevents {

std::string EncodeHandover(const Handover& handover) {
  std::string out = "{\"at\":";
  json::AppendGoString(out, kube::MicroTime(handover.at));
  out += ",\"checkpoints\":{";
  bool first = true;
  for (const auto& [scope, version] : handover.checkpoints) {
    if (!first) out += ',';
    first = false;
    json::AppendGoString(out, scope);
    out += ':';
    json::AppendGoString(out, version);
  }
  out += '}';
  if (!handover.holder.empty()) {
    out += ",\"holder\":";
    json::AppendGoString(out, handover.holder);
  }
  return out + "}";
}

std::optional<Handover> DecodeHandover(std::string_view text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  const std::optional<std::int64_t> at = ParseRfc3339Seconds(json::StringMember(document, "at"));
  if (!at) return std::nullopt;
  Handover handover;
  handover.at = std::chrono::system_clock::time_point(std::chrono::seconds(*at));
  handover.checkpoints = json::StringMapMember(document, "checkpoints");
  handover.holder = json::StringMember(document, "holder");
  return handover;
}

}  // namespace kfpevents
