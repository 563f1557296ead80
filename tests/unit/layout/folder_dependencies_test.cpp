// The house's shape, kept: no folder of lib/ includes, directly or through others, a folder that
// includes it back, and core/ (what every folder includes) includes only json/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace kfpevents {
namespace {

namespace fs = std::filesystem;
using Graph = std::map<std::string, std::set<std::string>>;

// folder -> the other lib/ folders its files include ("kfpevents/" is the public API, not one).
Graph IncludeGraph(const fs::path& lib) {
  Graph graph;
  static const std::regex kInclude(R"re(^#include "([a-z_]+)/)re");
  for (const fs::directory_entry& folder : fs::directory_iterator(lib)) {
    if (!folder.is_directory()) continue;
    const std::string name = folder.path().filename().string();
    graph[name];
    for (const fs::directory_entry& file : fs::recursive_directory_iterator(folder.path())) {
      std::ifstream in(file.path());
      std::smatch match;
      for (std::string line; std::getline(in, line);) {
        if (std::regex_search(line, match, kInclude) && match[1] != name &&
            match[1] != "kfpevents") {
          graph[name].insert(match[1]);
        }
      }
    }
  }
  return graph;
}

// A path from `from` back to itself, as "a -> b -> a"; "" when there is none.
std::string CycleThrough(const Graph& graph, const std::string& from) {
  std::set<std::string> seen;
  std::vector<std::string> path;
  std::function<bool(const std::string&)> visit = [&](const std::string& folder) {
    path.push_back(folder);
    for (const std::string& next : graph.at(folder)) {
      if (next == from) {
        path.push_back(next);
        return true;
      }
      if (graph.count(next) != 0 && seen.insert(next).second && visit(next)) return true;
    }
    path.pop_back();
    return false;
  };
  if (!visit(from)) return "";
  std::string text;
  for (const std::string& folder : path) text += (text.empty() ? "" : " -> ") + folder;
  return text;
}

TEST(FolderDependenciesTest, NoFolderOfLibIncludesItselfBack) {
  const Graph graph = IncludeGraph(fs::path(KFPEVENTS_SOURCE_DIR) / "lib");
  ASSERT_GT(graph.size(), 10u);
  for (const auto& [folder, includes] : graph) {
    EXPECT_EQ(CycleThrough(graph, folder), "") << "a folder cycle in lib/";
  }
}

TEST(FolderDependenciesTest, CoreIncludesOnlyJson) {
  const Graph graph = IncludeGraph(fs::path(KFPEVENTS_SOURCE_DIR) / "lib");
  EXPECT_THAT(graph.at("core"), ::testing::IsSubsetOf(std::set<std::string>{"json"}));
}

}  // namespace
}  // namespace kfpevents
