// Tier 2: a subscriber backed by a shared object's C table (kfpevents/plugin_abi.h).
#include <dlfcn.h>

#include <cstring>
#include <map>
#include <mutex>

#include "kfpevents/plugin_abi.h"
#include "kfpevents/extensions.hpp"

namespace kfpevents {
namespace {

// Plugins stay loaded for the life of the process: unloading code that may have left threads
// or atexit handlers behind is how loaders crash. Loading the same path twice gives one handle.
Result<const kfp_eventd_plugin_api*> OpenTable(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, void*> handles;
  std::lock_guard lock(mutex);
  void*& handle = handles[path];
  if (handle == nullptr) {
    handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      handles.erase(path);
      return Status::InvalidArgument(
          "plugin " + path + " cannot be loaded: " + (why != nullptr ? why : "unknown error"));
    }
  }
  void* entry = ::dlsym(handle, KFP_EVENTD_PLUGIN_ENTRY_POINT);
  if (entry == nullptr) {
    return Status::InvalidArgument("plugin " + path + " does not export " +
                                   KFP_EVENTD_PLUGIN_ENTRY_POINT +
                                   "() (see kfpevents/plugin_abi.h)");
  }
  const kfp_eventd_plugin_api* table = reinterpret_cast<kfp_eventd_plugin_entry>(entry)();
  if (table == nullptr) {
    return Status::InvalidArgument("plugin " + path + ": " + KFP_EVENTD_PLUGIN_ENTRY_POINT +
                                   "() returned no table");
  }
  return table;
}

Status CheckTable(const std::string& path, const kfp_eventd_plugin_api& table) {
  const std::string built = std::to_string(table.abi_major) + "." + std::to_string(table.abi_minor);
  const std::string ours = std::to_string(KFP_EVENTD_PLUGIN_ABI_MAJOR) + "." +
                           std::to_string(KFP_EVENTD_PLUGIN_ABI_MINOR);
  if (table.abi_major != KFP_EVENTD_PLUGIN_ABI_MAJOR) {
    return Status::InvalidArgument("plugin " + path + " was built for plugin ABI " + built +
                                   "; this kfp-eventd speaks " + ours +
                                   " (a different major version): rebuild the plugin");
  }
  if (table.abi_minor > KFP_EVENTD_PLUGIN_ABI_MINOR) {
    return Status::InvalidArgument("plugin " + path + " needs plugin ABI " + built +
                                   ", newer than this kfp-eventd's " + ours +
                                   ": upgrade kfp-eventd or rebuild the plugin against it");
  }
  const std::pair<const char*, bool> functions[] = {{"create", table.create != nullptr},
                                                    {"deliver", table.deliver != nullptr},
                                                    {"last_error", table.last_error != nullptr},
                                                    {"shutdown", table.shutdown != nullptr},
                                                    {"destroy", table.destroy != nullptr}};
  std::string missing;
  for (const auto& [name, present] : functions) {
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(name);
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("plugin " + path + " lacks function(s) " + missing +
                                   " in its table");
  }
  return Status::Ok();
}

class SharedObjectSubscriber final : public Subscriber {
 public:
  SharedObjectSubscriber(const kfp_eventd_plugin_api* table, void* instance)
      : table_(table), instance_(instance) {}

  ~SharedObjectSubscriber() override {
    table_->shutdown(instance_);
    table_->destroy(instance_);
  }

  DeliveryResult Deliver(const Message& message, std::stop_token) override {
    std::vector<kfp_eventd_header> headers;
    headers.reserve(message.headers.size());
    for (const auto& [name, value] : message.headers)
      headers.push_back({name.c_str(), value.c_str()});
    kfp_eventd_message plain{};
    plain.struct_size = sizeof(plain);
    plain.id = message.id.c_str();
    plain.body = message.body.c_str();
    plain.body_size = message.body.size();
    plain.content_type = message.content_type.c_str();
    plain.headers = headers.data();
    plain.header_count = headers.size();
    plain.destination = message.destination.c_str();
    const int outcome = table_->deliver(instance_, &plain);
    if (outcome == KFP_EVENTD_DELIVERED) return DeliveryResult::Delivered();
    const char* error = table_->last_error(instance_);
    std::string detail = std::string("plugin ") + (table_->name ? table_->name : "?") + ": " +
                         (error != nullptr && *error != '\0' ? error : "failed without a reason");
    if (outcome == KFP_EVENTD_RETRYABLE) {
      return {DeliveryOutcome::kRetryable, std::move(detail), 0, std::nullopt};
    }
    if (outcome != KFP_EVENTD_PERMANENT) {
      detail += " (and returned " + std::to_string(outcome) + ", not an outcome)";
    }
    return {DeliveryOutcome::kPermanent, std::move(detail), 0, std::nullopt};
  }

 private:
  const kfp_eventd_plugin_api* table_;
  void* instance_;
};

}  // namespace

Result<std::unique_ptr<Subscriber>> LoadPluginSubscriber(const std::string& path,
                                                         const std::string& settings_json) {
  Result<const kfp_eventd_plugin_api*> table = OpenTable(path);
  if (!table) return table.error();
  if (Status status = CheckTable(path, **table); !status.ok()) return status;
  char error[512] = "";
  void* instance = (*table)->create(settings_json.c_str(), error, sizeof(error));
  if (instance == nullptr) {
    error[sizeof(error) - 1] = '\0';
    return Status::InvalidArgument("plugin " + path + " refused its settings: " +
                                   (error[0] != '\0' ? error : "no reason given"));
  }
  return std::unique_ptr<Subscriber>(std::make_unique<SharedObjectSubscriber>(*table, instance));
}

}  // namespace kfpevents
