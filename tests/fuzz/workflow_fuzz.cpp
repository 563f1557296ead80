// An Argo Workflow and a Workflow list page and watch line: the on-demand summarizer and the
// transitions its status shows.
#include <cstddef>
#include <cstdint>
#include <string>

#include "argo/decoders.hpp"
#include "argo/status_transitions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto summary = kfpevents::argo::SummarizeWorkflow(text);
  if (summary) (void)kfpevents::argo::StatusTransitions(*summary);
  (void)kfpevents::argo::SummarizeWorkflowList(text);
  (void)kfpevents::argo::SummarizeWorkflowWatchLine(text);
  return 0;
}
