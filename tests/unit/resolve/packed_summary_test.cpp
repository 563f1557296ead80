#include "resolve/packed_summary.hpp"

#include <gtest/gtest.h>

namespace kfpevents::resolve {
namespace {

WorkflowInfo Everything() {
  WorkflowInfo info;
  info.namespace_name = "kubeflow";
  info.name = "wf";
  info.generate_name = "w-";
  info.uid = "u-1";
  info.resource_version = "42";
  info.labels = {{"pipeline/runid", "r-1"}, {"workflows.argoproj.io/phase", "Running"}};
  info.annotations = {{"pipelines.kubeflow.org/pipeline_spec", std::string(300, 's')}};
  info.phase = "Running";
  info.message = "";
  info.started_at = "2026-11-23T07:00:00Z";
  info.nodes_unread = "offloaded";
  info.parameters = {
      {"b", "2", ParameterType::kNumber}, {"a", ""}, {"c", "[1]", ParameterType::kList}};
  info.kfp_v2 = true;
  for (int i = 0; i < 3; ++i) {
    NodeSummary& node = info.nodes.emplace_back();
    node.id = "wf-" + std::to_string(i);
    node.name = "wf.step-" + std::to_string(i);
    node.display_name = "step-" + std::to_string(i);
    node.type = "Pod";
    node.template_name = "step";
    node.phase = i == 2 ? "Failed" : "Succeeded";
    node.message = i == 2 ? std::string(200, 'm') : "";  // a length over 127: two length bytes
    node.started_at = "2026-11-23T07:00:01Z";
    node.finished_at = "2026-11-23T07:00:09Z";
    node.task = i == 1 ? "step[1]" : "";
  }
  return info;
}

bool Same(const WorkflowInfo& a, const WorkflowInfo& b) {
  auto node = [](const NodeSummary& n) {
    return std::tie(n.id, n.name, n.display_name, n.type, n.template_name, n.phase, n.message,
                    n.started_at, n.finished_at, n.task);
  };
  if (a.nodes.size() != b.nodes.size()) return false;
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    if (node(a.nodes[i]) != node(b.nodes[i])) return false;
  }
  return std::tie(a.namespace_name, a.name, a.generate_name, a.uid, a.resource_version, a.labels,
                  a.annotations, a.phase, a.message, a.started_at, a.finished_at, a.parameters,
                  a.kfp_v2, a.nodes_unread) ==
         std::tie(b.namespace_name, b.name, b.generate_name, b.uid, b.resource_version, b.labels,
                  b.annotations, b.phase, b.message, b.started_at, b.finished_at, b.parameters,
                  b.kfp_v2, b.nodes_unread);
}

TEST(PackedSummaryTest, UnpacksToWhatWasPacked) {
  const WorkflowInfo info = Everything();
  EXPECT_TRUE(Same(UnpackSummary(PackSummary(info)), info));
  EXPECT_TRUE(Same(UnpackSummary(PackSummary(WorkflowInfo())), WorkflowInfo()));
}

// The point of packing: a summary's text plus a byte or two per field, not an allocation each.
TEST(PackedSummaryTest, TakesLittleMoreThanTheSummarysText) {
  const WorkflowInfo info = Everything();
  std::size_t text = 0;
  for (const std::string* field :
       {&info.namespace_name, &info.name, &info.generate_name, &info.uid, &info.resource_version,
        &info.phase, &info.message, &info.started_at, &info.finished_at, &info.nodes_unread}) {
    text += field->size();
  }
  for (const auto* map : {&info.labels, &info.annotations}) {
    for (const auto& [key, value] : *map) text += key.size() + value.size();
  }
  for (const Parameter& parameter : info.parameters) {
    text += parameter.name.size() + parameter.value.size();
  }
  for (const NodeSummary& n : info.nodes) {
    text += n.id.size() + n.name.size() + n.display_name.size() + n.type.size() +
            n.template_name.size() + n.phase.size() + n.message.size() + n.started_at.size() +
            n.finished_at.size() + n.task.size();
  }
  // Texts, map sizes, map entries, the parameter count, each parameter's two texts and type,
  // kfp_v2, the node count, each node's texts.
  const std::size_t fields = 10 + 2 + 2 * 3 + 1 + 3 * 3 + 1 + 1 + 10 * 3;
  const std::string packed = PackSummary(info);
  EXPECT_EQ(packed.size(), text + fields + 2);  // two lengths over 127 take a second byte
}

}  // namespace
}  // namespace kfpevents::resolve
