#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <variant>

#include "kfpevents/metrics.hpp"

namespace kfpevents {
namespace {

enum Type { kCounter, kGauge, kHistogram };
constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};

bool ValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Shortest text that reads back as the same double; the format's spellings for the rest.
void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text), value).ptr;
    out.append(text, end);
  }
}

void AppendEscaped(std::string& out, std::string_view text, bool quotes) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"}`, with `extra` (a histogram's `le`) last; nothing when there are no labels.
void AppendLabels(std::string& out, const MetricLabels& labels, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    AppendEscaped(out, value, /*quotes=*/true);
    out += '"';
  };
  for (const auto& [name, value] : labels) one(name, value);
  if (!extra_name.empty()) one(extra_name, extra_value);
  out += '}';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_.assign(bounds_.size() + 1, 0);
}

void Histogram::Observe(double value) {
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  std::lock_guard lock(mutex_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::Read() const {
  std::lock_guard lock(mutex_);
  Snapshot snapshot;
  snapshot.bounds = bounds_;
  snapshot.sum = sum_;
  std::uint64_t running = 0;
  for (const std::uint64_t count : counts_) {
    running += count;
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  return snapshot;
}

struct MetricsRegistry::Family {
  std::string name;
  std::string help;
  Type type = kCounter;
  std::vector<double> bounds;
  // Series in the order labels sort, so the output is stable.
  std::map<MetricLabels, std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>,
                                      std::unique_ptr<Histogram>>>
      series;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::FamilyFor(std::string_view name, std::string_view help,
                                                    int type) {
  if (!ValidName(name, /*allow_colon=*/true)) {
    throw std::invalid_argument("invalid metric name \"" + std::string(name) + "\"");
  }
  auto found = families_.find(name);
  if (found == families_.end()) {
    auto family = std::make_unique<Family>();
    family->name = name;
    family->help = help;
    family->type = static_cast<Type>(type);
    found = families_.emplace(std::string(name), std::move(family)).first;
  }
  if (found->second->type != type) {
    throw std::invalid_argument("metric \"" + std::string(name) + "\" is a " +
                                kTypeNames[found->second->type] + ", not a " + kTypeNames[type]);
  }
  return *found->second;
}

namespace {

void CheckLabels(std::string_view metric, const MetricLabels& labels) {
  for (const auto& [name, value] : labels) {
    if (!ValidName(name, /*allow_colon=*/false) || name.starts_with("__") || name == "le") {
      throw std::invalid_argument("metric \"" + std::string(metric) + "\": invalid label name \"" +
                                  name + "\"");
    }
  }
}

}  // namespace

Counter& MetricsRegistry::GetCounter(std::string_view name, std::string_view help,
                                     const MetricLabels& labels) {
  if (!name.ends_with("_total")) {
    throw std::invalid_argument("counter \"" + std::string(name) + "\" must end in _total");
  }
  CheckLabels(name, labels);
  std::lock_guard lock(mutex_);
  auto& slot = FamilyFor(name, help, kCounter).series[labels];
  if (slot.index() != 0 || !std::get<0>(slot)) slot = std::make_unique<Counter>();
  return *std::get<0>(slot);
}

void MetricsRegistry::DeclareCounter(std::string_view name, std::string_view help) {
  if (!name.ends_with("_total")) {
    throw std::invalid_argument("counter \"" + std::string(name) + "\" must end in _total");
  }
  std::lock_guard lock(mutex_);
  FamilyFor(name, help, kCounter);
}

void MetricsRegistry::DeclareGauge(std::string_view name, std::string_view help) {
  std::lock_guard lock(mutex_);
  FamilyFor(name, help, kGauge);
}

void MetricsRegistry::DeclareHistogram(std::string_view name, std::string_view help,
                                       const std::vector<double>& bounds) {
  std::lock_guard lock(mutex_);
  Family& family = FamilyFor(name, help, kHistogram);
  if (family.series.empty() && family.bounds.empty()) family.bounds = bounds;
}

Gauge& MetricsRegistry::GetGauge(std::string_view name, std::string_view help,
                                 const MetricLabels& labels) {
  CheckLabels(name, labels);
  std::lock_guard lock(mutex_);
  auto& slot = FamilyFor(name, help, kGauge).series[labels];
  if (slot.index() != 1) slot = std::make_unique<Gauge>();
  return *std::get<1>(slot);
}

Histogram& MetricsRegistry::GetHistogram(std::string_view name, std::string_view help,
                                         const std::vector<double>& bounds,
                                         const MetricLabels& labels) {
  CheckLabels(name, labels);
  std::lock_guard lock(mutex_);
  Family& family = FamilyFor(name, help, kHistogram);
  if (family.series.empty() && family.bounds.empty()) family.bounds = bounds;
  auto& slot = family.series[labels];
  if (slot.index() != 2) slot = std::make_unique<Histogram>(family.bounds);
  return *std::get<2>(slot);
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + ' ';
    AppendEscaped(out, family->help, /*quotes=*/false);
    out += "\n# TYPE " + name + ' ' + kTypeNames[family->type] + '\n';
    for (const auto& [labels, series] : family->series) {
      if (family->type == kHistogram) {
        const Histogram::Snapshot snapshot = std::get<2>(series)->Read();
        for (std::size_t i = 0; i <= snapshot.bounds.size(); ++i) {
          std::string le;
          AppendNumber(le, i < snapshot.bounds.size() ? snapshot.bounds[i] : INFINITY);
          out += name + "_bucket";
          AppendLabels(out, labels, "le", le);
          out += ' ' + std::to_string(snapshot.cumulative[i]) + '\n';
        }
        out += name + "_sum";
        AppendLabels(out, labels);
        out += ' ';
        AppendNumber(out, snapshot.sum);
        out += '\n' + name + "_count";
        AppendLabels(out, labels);
        out += ' ' + std::to_string(snapshot.count) + '\n';
        continue;
      }
      out += name;
      AppendLabels(out, labels);
      out += ' ';
      if (family->type == kCounter) {
        out += std::to_string(std::get<0>(series)->value());
      } else {
        AppendNumber(out, std::get<1>(series)->value());
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace kfpevents
