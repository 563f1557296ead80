// Health: the checks /readyz reports, and a small HTTP server for /healthz, /readyz and
// /metrics, the endpoints a kubelet and Prometheus poll.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kfpevents/export.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/metrics.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

// Named checks, each passing or failing with a reason. Ready when every check registered so far
// passes. Thread-safe.
class KFPEVENTS_EXPORT Readiness {
 public:
  void Pass(const std::string& check, const std::string& detail = "ok");
  void Fail(const std::string& check, const std::string& reason);
  // Forgets a check (a part that stopped on purpose).
  void Remove(const std::string& check);

  bool Ready() const;
  // One line per check, as Kubernetes' own /readyz?verbose: "[+]store ok", "[-]apiserver
  // failed: connection refused", then "readyz check passed" or "readyz check failed".
  std::string Report() const;

 private:
  struct Check {
    bool ok = false;
    std::string detail;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Check> checks_;
};

struct HealthServerOptions {
  // "host:port", ":port" (every interface) or "[v6]:port"; port 0 picks a free one.
  std::string address = ":9090";
  std::shared_ptr<MetricsRegistry> metrics;  // null: /metrics answers 404
  std::shared_ptr<Readiness> readiness;      // null: /readyz is always ready
  std::shared_ptr<Logger> logger;
};

// Serves GET (and HEAD) /healthz (200 while the process runs), /readyz (200 or 503 with the
// report) and /metrics on its own thread, one short connection at a time. Not for the public
// internet: there is no TLS and no authentication, as with most exporters inside a cluster.
class KFPEVENTS_EXPORT HealthServer {
 public:
  virtual ~HealthServer();  // stops serving and joins the thread
  // The address actually bound, e.g. "0.0.0.0:9090" or "127.0.0.1:41234".
  virtual std::string address() const = 0;
};

// Binds and starts serving. Errors: an address that cannot be parsed (kInvalidArgument) or bound
// (kUnavailable, e.g. the port is taken).
KFPEVENTS_EXPORT Result<std::unique_ptr<HealthServer>> StartHealthServer(
    HealthServerOptions options);

}  // namespace kfpevents
