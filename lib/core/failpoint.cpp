#include "core/failpoint.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

namespace kfpevents {
namespace {

struct Armed {
  Armed() {
    const char* spec = std::getenv("KFP_EVENTD_FAILPOINT");
    if (spec == nullptr) return;
    const std::string text = spec;
    const std::size_t colon = text.find(':');
    name = text.substr(0, colon);
    if (colon != std::string::npos) hits = std::max(1L, std::atol(text.c_str() + colon + 1));
  }
  std::string name;  // "" when no failpoint is set
  long hits = 1;
  std::atomic<long> seen{0};
};

Armed& ArmedPoint() {
  static Armed armed;
  return armed;
}

}  // namespace

void Failpoint(const char* name) {
  Armed& armed = ArmedPoint();
  if (armed.name.empty() || armed.name != name) return;
  if (armed.seen.fetch_add(1) + 1 == armed.hits) std::raise(SIGKILL);
}

}  // namespace kfpevents
