#include "http/url.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/formatters.hpp"

namespace kfpevents {

Result<std::vector<SubscriberConfig>> GatherSubscribers(const SubscriberSources& sources) {
  std::vector<SubscriberConfig> out;
  std::string problems;
  const auto add_problem = [&](const std::string& text) {
    if (!problems.empty()) problems += '\n';
    problems += text;
  };

  if (!sources.config_file.empty()) {
    Result<Config> config = LoadConfigFile(sources.config_file);
    if (config) {
      out.insert(out.end(), config->subscribers.begin(), config->subscribers.end());
    } else {
      add_problem(config.error().message());
    }
  }
  if (!sources.subscribers_dir.empty()) {
    Result<std::vector<SubscriberConfig>> dir = LoadSubscribersDir(sources.subscribers_dir);
    if (dir) {
      out.insert(out.end(), dir->begin(), dir->end());
    } else {
      add_problem(dir.error().message());
    }
  }

  if (sources.stdout_subscriber || !sources.urls.empty()) {
    if (Result<std::unique_ptr<MessageFormatter>> known = MakeFormatter(sources.format); !known) {
      add_problem(known.error().message());
    }
  }
  for (std::size_t i = 0; i < sources.urls.size(); ++i) {
    SubscriberConfig subscriber;
    subscriber.name = "subscriber-" + std::to_string(i + 1);
    subscriber.url = sources.urls[i];
    subscriber.format = sources.format;
    subscriber.level = DefaultLevel(subscriber.type, subscriber.format);
    subscriber.origin = "--subscriber #" + std::to_string(i + 1);
    if (Status status = http::CheckWebhookUrl(subscriber.url); !status.ok()) {
      add_problem(subscriber.origin + ": " + status.message());
      continue;
    }
    out.push_back(std::move(subscriber));
  }
  if (sources.stdout_subscriber) {
    SubscriberConfig subscriber;
    subscriber.name = "stdout";
    subscriber.type = SubscriberType::kStdout;
    subscriber.format = sources.format;
    subscriber.level = DefaultLevel(subscriber.type, subscriber.format);
    subscriber.origin = "--stdout";
    out.push_back(std::move(subscriber));
  }

  if (problems.empty()) {
    if (Status status = CheckUniqueNames(out); !status.ok()) add_problem(status.message());
  }
  if (!problems.empty()) return Status::InvalidArgument(problems);
  return out;
}

}  // namespace kfpevents
