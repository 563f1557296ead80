// Write a Tier 2 plugin as a C++ class: header-only, needs no library, and keeps exceptions on
// the plugin's side of the C boundary (an exception becomes a permanent failure of that message,
// or a failed create, with its what() as the reason).
//
//   class MySink {
//    public:
//     explicit MySink(std::string_view settings_json);   // throw to refuse bad settings
//     kfpevents::plugin::Result Deliver(const kfpevents::plugin::Message& message);
//     void Shutdown() {}                                  // optional
//   };
//   KFP_EVENTD_PLUGIN(MySink, "my-sink")
//
// Build it as a shared object (-shared -fPIC) and name it in the configuration:
//   subscribers:
//     - name: mine
//       type: plugin
//       path: /usr/lib/kfp-eventd/plugins/libmy_sink.so
//       settings: {anything: your class reads}
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kfpevents/plugin_abi.h"

namespace kfpevents::plugin {

struct Message {
  std::string_view id;
  std::string_view body;
  std::string_view content_type;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view destination;
};

enum class Outcome {
  kDelivered = KFP_EVENTD_DELIVERED,
  kRetryable = KFP_EVENTD_RETRYABLE,
  kPermanent = KFP_EVENTD_PERMANENT
};

struct Result {
  Outcome outcome = Outcome::kDelivered;
  std::string detail;  // why it failed; never a secret

  static Result Delivered() { return {}; }
  static Result Retryable(std::string why) { return {Outcome::kRetryable, std::move(why)}; }
  static Result Permanent(std::string why) { return {Outcome::kPermanent, std::move(why)}; }
};

namespace detail {

template <typename Sink>
struct Instance {
  Sink sink;
  std::string last_error;
  explicit Instance(std::string_view settings) : sink(settings) {}
};

inline void CopyError(const char* what, char* error, std::size_t size) {
  if (error == nullptr || size == 0) return;
  std::size_t i = 0;
  for (; what[i] != '\0' && i + 1 < size; ++i) error[i] = what[i];
  error[i] = '\0';
}

template <typename Sink>
void* Create(const char* settings, char* error, std::size_t error_size) noexcept {
  try {
    return new Instance<Sink>(settings != nullptr ? settings : "{}");
  } catch (const std::exception& failure) {
    CopyError(failure.what(), error, error_size);
  } catch (...) {
    CopyError("the plugin threw a non-standard exception", error, error_size);
  }
  return nullptr;
}

template <typename Sink>
int Deliver(void* raw, const kfp_eventd_message* message) noexcept {
  auto* instance = static_cast<Instance<Sink>*>(raw);
  try {
    Message view{message->id,
                 {message->body, message->body_size},
                 message->content_type,
                 {},
                 message->destination};
    for (std::size_t i = 0; i < message->header_count; ++i) {
      view.headers.emplace_back(message->headers[i].name, message->headers[i].value);
    }
    Result result = instance->sink.Deliver(view);
    instance->last_error = std::move(result.detail);
    return static_cast<int>(result.outcome);
  } catch (const std::exception& failure) {
    instance->last_error = std::string("the plugin threw: ") + failure.what();
  } catch (...) {
    instance->last_error = "the plugin threw a non-standard exception";
  }
  return KFP_EVENTD_PERMANENT;
}

template <typename Sink>
const char* LastError(void* raw) noexcept {
  return static_cast<Instance<Sink>*>(raw)->last_error.c_str();
}

template <typename T>
concept HasShutdown = requires(T& sink) {
  sink.Shutdown();
};

template <typename Sink>
void Shutdown(void* raw) noexcept {
  if constexpr (HasShutdown<Sink>) {
    try {
      static_cast<Instance<Sink>*>(raw)->sink.Shutdown();
    } catch (...) {  // nothing to report it to; the instance is going away
    }
  }
}

template <typename Sink>
void Destroy(void* raw) noexcept {
  delete static_cast<Instance<Sink>*>(raw);
}

template <typename Sink>
const kfp_eventd_plugin_api* Table(const char* name) noexcept {
  static const kfp_eventd_plugin_api table = {KFP_EVENTD_PLUGIN_ABI_MAJOR,
                                              KFP_EVENTD_PLUGIN_ABI_MINOR,
                                              name,
                                              &Create<Sink>,
                                              &Deliver<Sink>,
                                              &LastError<Sink>,
                                              &Shutdown<Sink>,
                                              &Destroy<Sink>};
  return &table;
}

}  // namespace detail
}  // namespace kfpevents::plugin

// Exports the entry point for `SinkClass`, shown in log lines as `plugin_name`.
#define KFP_EVENTD_PLUGIN(SinkClass, plugin_name)                                \
  extern "C" __attribute__((visibility("default"))) const kfp_eventd_plugin_api* \
  kfp_eventd_plugin(void) {                                                      \
    return ::kfpevents::plugin::detail::Table<SinkClass>(plugin_name);           \
  }
