#include "daemon/config_reloader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/thread_name.hpp"

namespace kfpevents::daemon {
namespace {

// Reads `path` through any symlinks; "" when it cannot be read.
std::string Content(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Everything a reload depends on, in one string: the config file, and each visible file of the
// subscribers folder with its name.
std::string Fingerprint(const SubscriberSources& sources) {
  std::string print;
  if (!sources.config_file.empty()) print += "config\n" + Content(sources.config_file) + '\0';
  if (!sources.subscribers_dir.empty()) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(sources.subscribers_dir, error)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with('.') && entry.is_regular_file(error)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      print += file.filename().string() + '\n' + Content(file) + '\0';
    }
  }
  return print;
}

// Equal in everything but where it was written down (a line moved is no change).
bool SameSubscriber(const SubscriberConfig& a, SubscriberConfig b) {
  b.origin = a.origin;
  return a == b;
}

// "added x; removed y; changed z" (names only: never a URL or a secret).
std::string Difference(const std::vector<SubscriberConfig>& before,
                       const std::vector<SubscriberConfig>& after) {
  std::vector<std::string> added, removed, changed;
  for (const SubscriberConfig& now : after) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const SubscriberConfig& b) { return b.name == now.name; });
    if (old == before.end()) {
      added.push_back(now.name);
    } else if (!SameSubscriber(*old, now)) {
      changed.push_back(now.name);
    }
  }
  for (const SubscriberConfig& old : before) {
    if (std::none_of(after.begin(), after.end(),
                     [&](const SubscriberConfig& a) { return a.name == old.name; })) {
      removed.push_back(old.name);
    }
  }
  std::string text;
  for (const auto& [label, names] : {std::pair{"added", &added}, std::pair{"removed", &removed},
                                     std::pair{"changed", &changed}}) {
    if (names->empty()) continue;
    text += std::string(text.empty() ? "" : "; ") + label + " ";
    for (std::size_t i = 0; i < names->size(); ++i) text += (i ? ", " : "") + (*names)[i];
  }
  return text.empty() ? "no subscriber changed" : text;
}

}  // namespace

ConfigReloader::ConfigReloader(SubscriberSources sources, std::chrono::milliseconds interval,
                               Apply apply, std::shared_ptr<Logger> logger,
                               MetricsRegistry& metrics, std::shared_ptr<Clock> clock)
    : sources_(std::move(sources)),
      interval_(interval),
      apply_(std::move(apply)),
      clock_(clock ? std::move(clock) : SystemClock()),
      logger_(std::move(logger)),
      applied_(metrics.GetCounter("kfp_eventd_config_reloads_total",
                                  "Configuration changes seen, by result (applied, rejected).",
                                  {{"result", "applied"}})),
      rejected_(metrics.GetCounter("kfp_eventd_config_reloads_total",
                                   "Configuration changes seen, by result (applied, rejected).",
                                   {{"result", "rejected"}})),
      last_success_(metrics.GetGauge("kfp_eventd_config_last_reload_successful",
                                     "1 when the configuration in use is the latest on disk, "
                                     "0 when the latest was rejected.")) {
  last_success_.Set(1);
  if (sources_.config_file.empty() && sources_.subscribers_dir.empty()) return;
  if (interval_.count() <= 0) return;
  fingerprint_ = Fingerprint(sources_);
  if (Result<std::vector<SubscriberConfig>> gathered = GatherSubscribers(sources_); gathered) {
    current_ = std::move(*gathered);
  }
  thread_ = std::jthread([this](std::stop_token stop) {
    NameThisThread("kfp-reload");
    Run(stop);
  });
}

ConfigReloader::~ConfigReloader() = default;

void ConfigReloader::Run(std::stop_token stop) {
  while (clock_->SleepFor(interval_, stop)) Check();
}

void ConfigReloader::Check() {
  std::string fingerprint = Fingerprint(sources_);
  if (fingerprint == fingerprint_) return;
  fingerprint_ = std::move(fingerprint);
  Result<std::vector<SubscriberConfig>> gathered = GatherSubscribers(sources_);
  Result<std::vector<Subscription>> built =
      gathered ? BuildSubscriptions(*gathered)
               : Result<std::vector<Subscription>>(gathered.error());
  Status applied = built ? Status::Ok() : built.error();
  if (applied.ok() && built->empty()) {
    applied = Status::InvalidArgument("it configures no subscriber");
  }
  if (applied.ok()) applied = apply_(std::move(*built));
  if (!applied.ok()) {
    rejected_.Add();
    last_success_.Set(0);
    logger_->Log(LogLevel::kError,
                 "the changed configuration is rejected; the running one "
                 "stays in use until it is fixed:\n" +
                     applied.message());
    return;
  }
  applied_.Add();
  last_success_.Set(1);
  logger_->Log(LogLevel::kInfo, "configuration reloaded: " + Difference(current_, *gathered) +
                                    "; " + std::to_string(gathered->size()) + " subscriber" +
                                    (gathered->size() == 1 ? "" : "s"));
  current_ = std::move(*gathered);
}

}  // namespace kfpevents::daemon
