// The daemon's metrics registry, readiness checks and the endpoint that serves both.
#pragma once

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "kfpevents/health.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/metrics.hpp"

namespace kfpevents::cli {

struct Observability {
  std::shared_ptr<MetricsRegistry> metrics = std::make_shared<MetricsRegistry>();
  std::shared_ptr<Readiness> readiness = std::make_shared<Readiness>();
  std::unique_ptr<HealthServer> server;  // null with --metrics-address off
};

void AddMetricsAddressFlag(CLI::App& command, std::string& address);

// Starts serving /healthz, /readyz and /metrics on `address` ("off": nothing) and logs where.
// On failure prints why, prefixed by `command_name`, and returns nothing.
std::unique_ptr<Observability> StartObservability(const std::string& address,
                                                  const std::shared_ptr<Logger>& logger,
                                                  const std::string& command_name);

}  // namespace kfpevents::cli
