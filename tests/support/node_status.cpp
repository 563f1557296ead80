#include "support/node_status.hpp"

#include <zlib.h>

#include <stdexcept>

#include "core/base64.hpp"

namespace kfpevents::testing {

std::string Gzip(std::string_view text) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

std::string CompressNodes(std::string_view nodes_json) { return EncodeBase64(Gzip(nodes_json)); }

namespace {

// [begin, end) of the status.nodes object, the last member of status, itself the Workflow's last.
std::pair<std::size_t, std::size_t> NodesOf(const std::string& workflow_json) {
  const std::string key = "\"nodes\":";
  const std::size_t at = workflow_json.rfind(key);
  if (at == std::string::npos) throw std::runtime_error("no status.nodes");
  const std::size_t end = workflow_json.size() - 2;
  if (workflow_json.compare(end, 2, "}}") != 0) throw std::runtime_error("unexpected layout");
  return {at, end};
}

}  // namespace

std::string WithCompressedNodes(const std::string& workflow_json) {
  const auto [at, end] = NodesOf(workflow_json);
  const std::size_t begin = at + std::string("\"nodes\":").size();
  return workflow_json.substr(0, at) + "\"compressedNodes\":\"" +
         CompressNodes(workflow_json.substr(begin, end - begin)) + "\"}}";
}

std::string WithOffloadedNodes(const std::string& workflow_json) {
  return workflow_json.substr(0, NodesOf(workflow_json).first) +
         "\"offloadNodeStatusVersion\":\"fnv-2166136261\"}}";
}

}  // namespace kfpevents::testing
