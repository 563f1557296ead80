// The YAML configuration parser: any text gives a config or a list of problems, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kfpevents/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)kfpevents::ParseConfig(std::string_view(reinterpret_cast<const char*>(data), size),
                               "fuzz.yaml");
  return 0;
}
