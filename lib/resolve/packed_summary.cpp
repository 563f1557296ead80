#include "resolve/packed_summary.hpp"

#include <cstdint>

namespace kfpevents::resolve {
namespace {

// Lengths and counts as LEB128 varints: one byte for anything under 128.
void PutSize(std::string& out, std::size_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutText(std::string& out, const std::string& text) {
  PutSize(out, text.size());
  out += text;
}

class Reader {
 public:
  explicit Reader(const std::string& packed) : packed_(packed) {}

  std::size_t Size() {
    std::size_t value = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<std::uint8_t>(packed_[at_++]);
      value |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
  }

  std::string Text() {
    const std::size_t size = Size();
    std::string text = packed_.substr(at_, size);
    at_ += size;
    return text;
  }

 private:
  const std::string& packed_;
  std::size_t at_ = 0;
};

// Each field of a summary in one order, for packing and unpacking alike.
template <typename Info, typename Visit>
void ForEachText(Info& info, Visit&& visit) {
  for (auto* text : {&info.namespace_name, &info.name, &info.generate_name, &info.uid,
                     &info.resource_version, &info.phase, &info.message, &info.started_at,
                     &info.finished_at, &info.nodes_unread}) {
    visit(*text);
  }
}

template <typename Node, typename Visit>
void ForEachNodeText(Node& node, Visit&& visit) {
  for (auto* text : {&node.id, &node.name, &node.display_name, &node.type, &node.template_name,
                     &node.phase, &node.message, &node.started_at, &node.finished_at,
                     &node.task}) {
    visit(*text);
  }
}

}  // namespace

std::string PackSummary(const WorkflowInfo& info) {
  std::string out;
  auto put = [&](const std::string& text) { PutText(out, text); };
  ForEachText(info, put);
  for (const auto* map : {&info.labels, &info.annotations}) {
    PutSize(out, map->size());
    for (const auto& [key, value] : *map) {
      put(key);
      put(value);
    }
  }
  PutSize(out, info.parameters.size());
  for (const Parameter& parameter : info.parameters) {
    put(parameter.name);
    put(parameter.value);
    PutSize(out, static_cast<std::size_t>(parameter.type));
  }
  PutSize(out, info.kfp_v2 ? 1 : 0);
  PutSize(out, info.nodes.size());
  for (const NodeSummary& node : info.nodes) ForEachNodeText(node, put);
  out.shrink_to_fit();
  return out;
}

WorkflowInfo UnpackSummary(const std::string& packed) {
  WorkflowInfo info;
  Reader in(packed);
  auto get = [&](std::string& text) { text = in.Text(); };
  ForEachText(info, get);
  for (auto* map : {&info.labels, &info.annotations}) {
    for (std::size_t n = in.Size(); n > 0; --n) {
      std::string key = in.Text();
      map->emplace_hint(map->end(), std::move(key), in.Text());
    }
  }
  info.parameters.resize(in.Size());
  for (Parameter& parameter : info.parameters) {
    parameter.name = in.Text();
    parameter.value = in.Text();
    parameter.type = static_cast<ParameterType>(in.Size());
  }
  info.kfp_v2 = in.Size() != 0;
  info.nodes.resize(in.Size());
  for (NodeSummary& node : info.nodes) ForEachNodeText(node, get);
  return info;
}

}  // namespace kfpevents::resolve
