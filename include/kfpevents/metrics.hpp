// Metrics: counters, gauges and histograms, rendered in the Prometheus text exposition format
// (version 0.0.4). The pipeline, the Kubernetes watches and the resolver cache count into one
// registry when they are given it; `kfp-eventd` serves it on /metrics (see health.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kfpevents/export.hpp"

namespace kfpevents {

// Label name -> value. Names follow Prometheus' rules ([a-zA-Z_][a-zA-Z0-9_]*); values are any
// UTF-8 and are escaped on output.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Lock-free: safe from any thread, cheap on hot paths.
class KFPEVENTS_EXPORT Counter {
 public:
  void Add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class KFPEVENTS_EXPORT Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Cumulative buckets with upper bounds in ascending order (+Inf is implied).
class KFPEVENTS_EXPORT Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  mutable std::mutex mutex_;
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;  // per bucket, not cumulative; one more for +Inf
  double sum_ = 0;
};

// Families of metrics by name, each series by its labels. Getting a series creates it (at 0),
// so it is shown before anything happens; the reference stays valid as long as the registry.
// Thread-safe. Asking for a name with another type, or with an invalid name or label, is a
// programming error: it throws std::invalid_argument.
class KFPEVENTS_EXPORT MetricsRegistry {
 public:
  MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  // Counter names end in _total, as the format's conventions ask.
  Counter& GetCounter(std::string_view name, std::string_view help,
                      const MetricLabels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  // `bounds` applies when the family is first created.
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          const std::vector<double>& bounds, const MetricLabels& labels = {});

  // A counter family whose series come later (labelled by values not known yet): listed, with
  // its HELP and TYPE, from now on.
  void DeclareCounter(std::string_view name, std::string_view help);
  // Likewise a gauge family, and a histogram family with the bounds its series will have.
  void DeclareGauge(std::string_view name, std::string_view help);
  void DeclareHistogram(std::string_view name, std::string_view help,
                        const std::vector<double>& bounds);

  // Every family, sorted by name, with HELP and TYPE lines: text format 0.0.4.
  std::string Render() const;

 private:
  struct Family;
  Family& FamilyFor(std::string_view name, std::string_view help, int type);
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
};

// The content type /metrics answers with.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace kfpevents
