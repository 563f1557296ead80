// A core/v1 Event and an Event list page, as the API server or a recording would give them.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "argo/decoders.hpp"
#include "kube/watch_frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  if (!document.HasParseError()) (void)kfpevents::argo::DecodeEvent(document);
  (void)kfpevents::kube::DecodeEventList(text);
  (void)kfpevents::kube::DecodeApiStatus(text, 500);
  return 0;
}
