// The azdocallbackinfo parameter (JSON or Python-dict style) and what is built from it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "azdo/callback_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto info = kfpevents::azdo::ParseCallbackInfo(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (info) {
    (void)kfpevents::azdo::PlanEventsUrl(*info);
    (void)kfpevents::azdo::TaskCompletedBody(*info, true);
  }
  return 0;
}
