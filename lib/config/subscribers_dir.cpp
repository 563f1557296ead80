// The original tool's layout: a mounted ConfigMap folder, one webhook URL per file.
#include <algorithm>
#include <filesystem>

#include "config/problems.hpp"
#include "core/files.hpp"
#include "core/strings.hpp"
#include "http/url.hpp"
#include "kfpevents/config.hpp"

namespace kfpevents {

namespace fs = std::filesystem;

Result<std::vector<SubscriberConfig>> LoadSubscribersDir(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return Status::NotFound("subscribers folder " + dir + " does not exist or is not a folder");
  }
  // Kubernetes mounts ConfigMap keys as symlinks into a hidden "..data" folder, swapped
  // atomically on update: skip hidden entries, follow the links of the visible ones.
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (!fs::is_regular_file(entry.path(), error)) continue;
    files.push_back(entry.path());
  }
  if (error) return Status::InvalidArgument("cannot list " + dir + ": " + error.message());
  std::sort(files.begin(), files.end());

  config::Problems problems(dir);
  std::vector<SubscriberConfig> subscribers;
  for (const fs::path& file : files) {
    const Result<std::string> text = ReadFile(file.string());
    const std::string name = file.filename().string();
    if (!text) {
      problems.Add(0, 0, name, "cannot be read");
      continue;
    }
    std::string url(Trim(*text));
    if (url.empty()) {
      problems.Add(0, 0, name, "is empty; it must hold one webhook URL");
      continue;
    }
    if (url.find_first_of(" \t\r\n") != std::string::npos) {
      problems.Add(0, 0, name, "must hold exactly one URL (found whitespace inside)");
      continue;
    }
    if (Status status = http::CheckWebhookUrl(url); !status.ok()) {
      problems.Add(0, 0, name, status.message());
      continue;
    }
    SubscriberConfig subscriber;
    subscriber.name = name;
    subscriber.url = std::move(url);
    subscriber.origin = file.string();
    subscribers.push_back(std::move(subscriber));
  }
  if (Status status = problems.ToStatus(); !status.ok()) return status;
  return subscribers;
}

}  // namespace kfpevents
