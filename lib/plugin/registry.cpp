// Tier 1: the process-wide table of subscriber types and formats registered by the program.
#include "plugin/registry.hpp"

#include <map>
#include <mutex>

#include "kfpevents/formatters.hpp"
#include "kfpevents/extensions.hpp"

namespace kfpevents {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, SubscriberFactory, std::less<>> subscribers;
  std::map<std::string, FormatterFactory, std::less<>> formats;
};

Registry& TheRegistry() {
  static Registry registry;
  return registry;
}

constexpr const char* kBuiltinTypes[] = {"webhook", "stdout", "azure-devops", "email", "nats", "kfp-run", "plugin"};

}  // namespace

Status RegisterSubscriberType(const std::string& type, SubscriberFactory factory) {
  if (type.empty() || !factory) {
    return Status::InvalidArgument("a subscriber type needs a name and a factory");
  }
  for (const char* builtin : kBuiltinTypes) {
    if (type == builtin) {
      return Status::InvalidArgument("subscriber type \"" + type + "\" is built in");
    }
  }
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  if (!registry.subscribers.emplace(type, std::move(factory)).second) {
    return Status::InvalidArgument("subscriber type \"" + type + "\" is already registered");
  }
  return Status::Ok();
}

Status RegisterFormat(const std::string& name, FormatterFactory factory) {
  if (name.empty() || !factory)
    return Status::InvalidArgument("a format needs a name and a factory");
  for (const std::string& builtin : BuiltinFormatNames()) {
    if (name == builtin) return Status::InvalidArgument("format \"" + name + "\" is built in");
  }
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  if (!registry.formats.emplace(name, std::move(factory)).second) {
    return Status::InvalidArgument("format \"" + name + "\" is already registered");
  }
  return Status::Ok();
}

bool IsRegisteredSubscriberType(std::string_view type) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  return registry.subscribers.find(type) != registry.subscribers.end();
}

namespace plugin {

SubscriberFactory RegisteredSubscriberType(std::string_view type) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  const auto found = registry.subscribers.find(type);
  return found == registry.subscribers.end() ? nullptr : found->second;
}

FormatterFactory RegisteredFormat(std::string_view name) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  const auto found = registry.formats.find(name);
  return found == registry.formats.end() ? nullptr : found->second;
}

std::vector<std::string> RegisteredFormatNames() {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry.formats) names.push_back(name);
  return names;
}

}  // namespace plugin
}  // namespace kfpevents
