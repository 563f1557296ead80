// An Argo Workflow and a Workflow list page: the streaming summarizer, the DOM decoder, and the
// transitions its status shows.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "argo/decoders.hpp"
#include "argo/status_transitions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto summary = kfpevents::argo::SummarizeWorkflow(text);
  if (summary) (void)kfpevents::argo::StatusTransitions(*summary);
  (void)kfpevents::argo::SummarizeWorkflowList(text);
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  if (!document.HasParseError() && document.IsObject()) {
    (void)kfpevents::argo::DecodeWorkflow(document);
  }
  return 0;
}
