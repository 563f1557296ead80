#include "observability.hpp"

#include <iostream>

#include "kfpevents/version.hpp"

namespace kfpevents::cli {

void AddMetricsAddressFlag(CLI::App& command, std::string& address) {
  command
      .add_option("--metrics-address", address,
                  "where to serve /healthz, /readyz and /metrics (Prometheus): host:port, :port "
                  "for every interface, or off")
      ->default_val(address);
}

std::unique_ptr<Observability> StartObservability(const std::string& address,
                                                  const std::shared_ptr<Logger>& logger,
                                                  const std::string& command_name) {
  auto observability = std::make_unique<Observability>();
  observability->metrics
      ->GetGauge("kfp_eventd_build_info", "Always 1; the version is in the label.",
                 {{"version", kVersion}})
      .Set(1);
  if (address == "off") return observability;
  HealthServerOptions options;
  options.address = address;
  options.metrics = observability->metrics;
  options.readiness = observability->readiness;
  options.logger = logger;
  Result<std::unique_ptr<HealthServer>> server = StartHealthServer(std::move(options));
  if (!server) {
    std::cerr << command_name << ": --metrics-address: " << server.error().message()
              << " (choose another address, or off)\n";
    return nullptr;
  }
  observability->server = std::move(*server);
  logger->Log(LogLevel::kInfo,
              "serving /healthz, /readyz and /metrics on " + observability->server->address());
  return observability;
}

}  // namespace kfpevents::cli
