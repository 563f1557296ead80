// A coordination.k8s.io/v1 Lease as leader election reads and writes it.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::kube {

struct LeaseRecord {
  std::string holder;  // spec.holderIdentity; "" when released
  std::int64_t duration_seconds = 0;
  std::string acquire_time;  // MicroTime, e.g. "2026-11-23T07:00:00.123456Z"
  std::string renew_time;
  std::int64_t transitions = 0;
  std::map<std::string, std::string> annotations;
  std::string resource_version;  // metadata.resourceVersion: the update's precondition
};

Result<LeaseRecord> DecodeLease(std::string_view json);
// The Lease object to create (no resourceVersion) or to update (with it).
std::string EncodeLease(const LeaseRecord& record, const std::string& namespace_name,
                        const std::string& name);
// Kubernetes' MicroTime: RFC 3339 in UTC with six fractional digits.
std::string MicroTime(std::chrono::system_clock::time_point time);

}  // namespace kfpevents::kube
