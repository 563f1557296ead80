// What Argo's controller does with a large Workflow's node status: compresses it
// (status.compressedNodes: gzip, then standard base64), or offloads it to its database
// (status.offloadNodeStatusVersion, no nodes). For fixtures of large runs.
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

// `workflow_json` as the Kubernetes API serves it once its node status is offloaded: no
// status.nodes, status.offloadNodeStatusVersion instead. The same layout as above.
std::string WithOffloadedNodes(const std::string& workflow_json);

}  // namespace kfpevents::testing
