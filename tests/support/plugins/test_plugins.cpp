// Plugins for the loader's tests, one shared object per variant (PLUGIN_VARIANT):
//   good        a helper-built class: settings {"fail": "retryable"|"permanent"|"throw"} choose
//               how Deliver fails; {"refuse": true} makes create fail
//   bad_major   an ABI major the loader does not speak
//   newer_minor a minor newer than the loader's
//   missing     a table without destroy
//   no_entry    exports no entry point at all
#include <stdexcept>
#include <string>

#include "kfpevents/plugin_sdk.hpp"

namespace {

class TestSink {
 public:
  explicit TestSink(std::string_view settings) : settings_(settings) {
    if (settings_.find("\"refuse\":true") != std::string::npos) {
      throw std::invalid_argument("refused: settings ask for it");
    }
  }
  kfpevents::plugin::Result Deliver(const kfpevents::plugin::Message& message) {
    if (settings_.find("\"fail\":\"retryable\"") != std::string::npos) {
      return kfpevents::plugin::Result::Retryable("busy with " + std::string(message.id));
    }
    if (settings_.find("\"fail\":\"permanent\"") != std::string::npos) {
      return kfpevents::plugin::Result::Permanent("no such queue");
    }
    if (settings_.find("\"fail\":\"throw\"") != std::string::npos) {
      throw std::runtime_error("boom in deliver");
    }
    return kfpevents::plugin::Result::Delivered();
  }

 private:
  std::string settings_;
};

}  // namespace

#if PLUGIN_VARIANT_GOOD
KFP_EVENTD_PLUGIN(TestSink, "test-sink")
#elif !PLUGIN_VARIANT_NO_ENTRY
extern "C" __attribute__((visibility("default"))) const kfp_eventd_plugin_api* kfp_eventd_plugin(
    void) {
  static kfp_eventd_plugin_api table = *kfpevents::plugin::detail::Table<TestSink>("variant");
#if PLUGIN_VARIANT_BAD_MAJOR
  table.abi_major = KFP_EVENTD_PLUGIN_ABI_MAJOR + 1;
#elif PLUGIN_VARIANT_NEWER_MINOR
  table.abi_minor = KFP_EVENTD_PLUGIN_ABI_MINOR + 1;
#elif PLUGIN_VARIANT_MISSING
  table.destroy = nullptr;
#endif
  return &table;
}
#endif
