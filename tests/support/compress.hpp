// What Argo's controller does to a large Workflow's node status (status.compressedNodes):
// gzip, then standard base64. For fixtures of compressed runs.
#pragma once

#include <string>
#include <string_view>

namespace kfpevents::testing {

std::string Gzip(std::string_view text);

// Gzip(text) as standard base64.
std::string CompressNodes(std::string_view nodes_json);

// `workflow_json` with its status.nodes object moved into status.compressedNodes, as Argo does
// past its size limit. The nodes object must be the last member of status.
std::string WithCompressedNodes(const std::string& workflow_json);

}  // namespace kfpevents::testing
