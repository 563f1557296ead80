#include "kfpevents/health.hpp"

namespace kfpevents {

void Readiness::Pass(const std::string& check, const std::string& detail) {
  std::lock_guard lock(mutex_);
  checks_[check] = {true, detail};
}

void Readiness::Fail(const std::string& check, const std::string& reason) {
  std::lock_guard lock(mutex_);
  checks_[check] = {false, reason};
}

void Readiness::Remove(const std::string& check) {
  std::lock_guard lock(mutex_);
  checks_.erase(check);
}

bool Readiness::Ready() const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, check] : checks_) {
    if (!check.ok) return false;
  }
  return true;
}

std::string Readiness::Report() const {
  std::lock_guard lock(mutex_);
  std::string out;
  bool ready = true;
  for (const auto& [name, check] : checks_) {
    ready &= check.ok;
    out += (check.ok ? "[+]" : "[-]") + name + (check.ok ? " " : " failed: ") + check.detail + '\n';
  }
  out += ready ? "readyz check passed\n" : "readyz check failed\n";
  return out;
}

}  // namespace kfpevents
