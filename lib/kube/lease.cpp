#include "kube/lease.hpp"

#include <rapidjson/document.h>

#include "core/rfc3339.hpp"
#include "json/go_json.hpp"
#include "json/json_fields.hpp"

namespace kfpevents::kube {

Result<LeaseRecord> DecodeLease(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return Status::InvalidArgument("the Lease is not a JSON object: " +
                                   json::DescribeParseError(document));
  }
  LeaseRecord record;
  if (const rapidjson::Value* metadata = json::ObjectMember(document, "metadata")) {
    record.resource_version = json::StringMember(*metadata, "resourceVersion");
    record.annotations = json::StringMapMember(*metadata, "annotations");
  }
  if (const rapidjson::Value* spec = json::ObjectMember(document, "spec")) {
    record.holder = json::StringMember(*spec, "holderIdentity");
    record.duration_seconds = json::IntMember(*spec, "leaseDurationSeconds", 0);
    record.acquire_time = json::StringMember(*spec, "acquireTime");
    record.renew_time = json::StringMember(*spec, "renewTime");
    record.transitions = json::IntMember(*spec, "leaseTransitions", 0);
  }
  return record;
}

namespace {

// `"key":"value"`, after a comma unless it is the object's first member.
void Member(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out += ',';
  json::AppendGoString(out, key);
  out += ':';
  json::AppendGoString(out, value);
}

}  // namespace

std::string EncodeLease(const LeaseRecord& record, const std::string& namespace_name,
                        const std::string& name) {
  std::string out = "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{";
  Member(out, "name", name, /*first=*/true);
  Member(out, "namespace", namespace_name);
  if (!record.resource_version.empty()) Member(out, "resourceVersion", record.resource_version);
  if (!record.annotations.empty()) {
    out += ",\"annotations\":{";
    bool first = true;
    for (const auto& [key, value] : record.annotations) {
      Member(out, key, value, first);
      first = false;
    }
    out += '}';
  }
  out += "},\"spec\":{";
  Member(out, "holderIdentity", record.holder, /*first=*/true);
  out += ",\"leaseDurationSeconds\":" + std::to_string(record.duration_seconds);
  if (!record.acquire_time.empty()) Member(out, "acquireTime", record.acquire_time);
  if (!record.renew_time.empty()) Member(out, "renewTime", record.renew_time);
  out += ",\"leaseTransitions\":" + std::to_string(record.transitions) + "}}";
  return out;
}

std::string MicroTime(std::chrono::system_clock::time_point time) { return FormatRfc3339(time, 6); }

}  // namespace kfpevents::kube
