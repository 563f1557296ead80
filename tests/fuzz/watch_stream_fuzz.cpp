// The watch stream reader under arbitrary chunking: the first bytes choose where chunks end,
// the rest is the stream. Every line goes through both watch-line decoders.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "argo/decoders.hpp"
#include "kube/line_splitter.hpp"
#include "kube/watch_frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::size_t cuts = data[0] % 8;
  const std::uint8_t* sizes = data + 1;
  const std::size_t header = 1 + std::min<std::size_t>(cuts, size - 1);
  std::string_view stream(reinterpret_cast<const char*>(data) + header, size - header);
  kfpevents::kube::LineSplitter lines(
      4096,
      [](std::string_view line) {
        (void)kfpevents::kube::DecodeWatchLine(line);
        (void)kfpevents::argo::SummarizeWorkflowWatchLine(line);
        return true;
      },
      [](std::size_t) {});
  for (std::size_t i = 0; i < cuts && !stream.empty() && i + 1 < header; ++i) {
    const std::size_t take = std::min<std::size_t>(sizes[i], stream.size());
    lines.Feed(stream.substr(0, take));
    stream.remove_prefix(take);
  }
  lines.Feed(stream);
  return 0;
}
