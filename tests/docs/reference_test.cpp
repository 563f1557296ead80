// docs/OPERATIONS.md's reference tables against the code: the watch flags against `--help`, the
// configuration keys against the parser, the metrics against what a running daemon serves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/fake_kube_api.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

const std::string kBinary = KFP_EVENTD_BINARY;

std::string Operations() {
  std::ifstream in(std::string(KFPEVENTS_DOCS_DIR) + "/OPERATIONS.md");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The rows of the first Markdown table after `heading`: cells, trimmed, per row.
std::vector<std::vector<std::string>> TableAfter(const std::string& heading) {
  std::istringstream doc(Operations());
  std::vector<std::vector<std::string>> rows;
  bool found = false;
  for (std::string line; std::getline(doc, line);) {
    if (!found) {
      found = line == heading;
      continue;
    }
    if (line.starts_with("|")) {
      std::vector<std::string> cells;
      std::istringstream row(line.substr(1));
      for (std::string cell; std::getline(row, cell, '|');) {
        cell.erase(0, cell.find_first_not_of(' '));
        cell.erase(cell.find_last_not_of(' ') + 1);
        cells.push_back(cell);
      }
      if (!cells.empty() && !cells[0].starts_with("---")) rows.push_back(cells);
    } else if (!rows.empty()) {
      break;
    }
  }
  if (!rows.empty()) rows.erase(rows.begin());  // the header
  return rows;
}

std::string Unquoted(const std::string& cell) {
  return cell.size() >= 2 && cell.front() == '`' && cell.back() == '`'
             ? cell.substr(1, cell.size() - 2)
             : cell;
}

TEST(ReferenceTest, TheWatchFlagsTableMatchesHelpWithItsDefaults) {
  const testing::ProcessResult help = testing::RunProcess({kBinary, "watch", "--help"});
  ASSERT_EQ(help.exit_code, 0);
  // "  -n,--namespace TEXT ...", "  --page-size INT:INT in [1 - 10000]=500   Events per ..."
  const std::regex option(R"(^  (?:-\w,)?(--[a-z-]+)(?:,--[a-z-]+)?(.*)$)");
  std::map<std::string, std::string> from_help;  // flag -> default ("" when none shown)
  std::istringstream lines(help.out);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, option) || match[1] == "--help") continue;
    std::string rest = match[2].str();
    rest = rest.substr(0, rest.find("  "));  // the description follows two spaces
    std::smatch value;
    const bool has_default = std::regex_search(rest, value, std::regex(R"(=(\S+)$)"));
    from_help[match[1]] = has_default ? value[1].str() : "";
  }
  std::map<std::string, std::string> documented;
  for (const auto& row : TableAfter("### `kfp-eventd watch` flags")) {
    documented[Unquoted(row.at(0))] = row.at(1);
  }
  ASSERT_FALSE(from_help.empty());
  std::set<std::string> help_flags, doc_flags;
  for (const auto& [flag, value] : from_help) help_flags.insert(flag);
  for (const auto& [flag, value] : documented) doc_flags.insert(flag);
  EXPECT_EQ(doc_flags, help_flags);
  for (const auto& [flag, value] : from_help) {
    if (!value.empty() && documented.count(flag) != 0) {
      EXPECT_EQ(documented[flag], "`" + value + "`") << flag;
    }
  }
}

TEST(ReferenceTest, TheConfigurationKeysTableMatchesTheParser) {
  testing::TempDir dir;
  const std::string config = dir.Write("probe.yaml",
                                       "subscribers:\n  - name: probe\n    url: http://x/\n"
                                       "    not-a-key: 1\n");
  const testing::ProcessResult result =
      testing::RunProcess({kBinary, "validate", "--config", config});
  std::smatch match;
  ASSERT_TRUE(std::regex_search(result.err, match, std::regex(R"(known keys: ([^)]*)\))")))
      << result.err;
  std::set<std::string> parsed;
  std::istringstream keys(match[1].str());
  for (std::string key; std::getline(keys, key, ',');) {
    parsed.insert(key.substr(key.find_first_not_of(' ')));
  }
  std::set<std::string> documented;
  for (const auto& row : TableAfter("### Configuration file")) documented.insert(Unquoted(row[0]));
  EXPECT_EQ(documented, parsed);
}

TEST(ReferenceTest, TheMetricsTableListsEveryFamilyARunningDaemonServes) {
  testing::FakeKubeApi api;
  api.SetEvents({}, "1");
  testing::TempDir dir;
  const std::string kubeconfig = dir.Write(
      "kubeconfig",
      "apiVersion: v1\nkind: Config\ncurrent-context: t\ncontexts:\n- name: t\n  context: "
      "{cluster: c, user: u, namespace: kubeflow}\nclusters:\n- name: c\n  cluster:\n    "
      "server: " +
          api.Url() + "\nusers:\n- name: u\n  user:\n    token: abc\n");
  const std::string config =
      dir.Write("kfp-eventd.yaml", "subscribers:\n  - name: out\n    type: stdout\n");
  testing::BackgroundProcess daemon({kBinary, "watch", "--kubeconfig", kubeconfig, "--config",
                                     config, "--leader-elect", "--leader-elect-identity", "pod-0",
                                     "--metrics-address", "127.0.0.1:0"});
  // Leading, and its watch has listed: every part that counts exists.
  ASSERT_TRUE(daemon.WaitForStderr("watch kubeflow: listed", std::chrono::seconds(20)))
      << daemon.Stderr();
  std::smatch match;
  const std::string err = daemon.Stderr();
  ASSERT_TRUE(std::regex_search(err, match, std::regex(R"(/metrics on 127\.0\.0\.1:(\d+))")));
  httplib::Client client("127.0.0.1", std::stoi(match[1].str()));
  const auto scraped = client.Get("/metrics");
  ASSERT_TRUE(scraped);
  std::set<std::string> served;
  std::istringstream lines(scraped->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# TYPE ")) served.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  std::set<std::string> documented;
  for (const auto& row : TableAfter("### Metrics")) documented.insert(Unquoted(row[0]));
  EXPECT_EQ(documented, served);
  EXPECT_EQ(daemon.Stop(SIGTERM, std::chrono::seconds(5)), 0) << daemon.Stderr();
}

}  // namespace
}  // namespace kfpevents
