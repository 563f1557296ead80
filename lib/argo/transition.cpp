#include "kfpevents/transition.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <optional>

#include "core/rfc3339.hpp"
#include "kfpevents/argo.hpp"

namespace kfpevents {
namespace {

// Start times appear as Unix nanoseconds (the node-start-time annotation) or RFC 3339 (a node's
// or workflow's startedAt, which the API stores to the second). Both become Unix seconds so that
// the event path and the workflow-status path name a transition the same way.
std::string NormalizeStartTime(const std::string& value) {
  if (value.empty()) return {};
  std::int64_t nanos = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), nanos);
  if (error == std::errc() && end == value.data() + value.size()) {
    return std::to_string(nanos / 1'000'000'000);
  }
  if (const auto seconds = ParseRfc3339Seconds(value)) return std::to_string(*seconds);
  return value;
}

}  // namespace

std::string TransitionKey(const WorkflowEvent& event, const WorkflowInfo* workflow) {
  const WorkflowRef ref = WorkflowOf(event);
  std::string workflow_part = ref.uid;
  if (workflow_part.empty() && workflow != nullptr) workflow_part = workflow->uid;
  if (workflow_part.empty()) workflow_part = ref.namespace_name + "/" + ref.name;

  std::string node_part;
  std::string start;
  if (IsNodeEvent(event)) {
    const std::string full_name = NodeFullName(event);
    const NodeSummary* node = workflow != nullptr ? FindNodeByName(*workflow, full_name) : nullptr;
    node_part = EventAnnotation(event, kNodeIdAnnotation);
    if (node_part.empty()) node_part = node != nullptr ? node->id : full_name;
    start = EventAnnotation(event, kNodeStartTimeAnnotation);
    if (start.empty() && node != nullptr) start = node->started_at;
  } else if (workflow != nullptr) {
    start = workflow->started_at;
  }
  // A timed-out workflow failed: whether the Event said WorkflowTimedOut or the status path says
  // WorkflowFailed, it is one transition.
  const std::string& reason =
      event.reason == "WorkflowTimedOut" ? std::string("WorkflowFailed") : event.reason;
  return workflow_part + "/" + node_part + "/" + reason + "/" + NormalizeStartTime(start);
}

std::string MessageIdForKey(const std::string& transition_key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(transition_key.data(), transition_key.size(), digest.data(), &length, EVP_sha256(),
                 nullptr) != 1) {
    length = 0;  // cannot happen with a built-in digest; fall through to an all-zero id
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "msg_";
  for (std::size_t i = 0; i < 16; ++i) {
    const unsigned char b = i < length ? digest[i] : 0;
    id += kHex[b >> 4];
    id += kHex[b & 0xF];
  }
  return id;
}

}  // namespace kfpevents
