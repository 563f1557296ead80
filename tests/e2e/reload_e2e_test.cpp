// The daemon applying configuration changes without a restart, the way Kubernetes delivers them
// to a mounted ConfigMap: a new folder of files, then a swap of the `..data` symlink.
#include <filesystem>
#include <future>

#include "support/hostile_yaml.hpp"
#include "watch_fixture.hpp"

namespace kfpevents {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using testing::FakeKubeApi;
using ::testing::HasSubstr;
using testing::WatchScript;
using testing::WatchStep;

class ReloadE2eTest : public testing::WatchE2eFixture {
 protected:
  // Publishes `yaml` as kfp-eventd.yaml of a ConfigMap volume at `mount`.
  void Publish(const std::string& yaml) {
    const fs::path mount = dir_.path() / "config";
    const std::string version = "..2026_11_23_" + std::to_string(++versions_);
    fs::create_directories(mount / version);
    std::ofstream(mount / version / "kfp-eventd.yaml") << yaml;
    const fs::path staged = mount / "..data_tmp";
    fs::create_directory_symlink(version, staged);
    fs::rename(staged, mount / "..data");  // atomic, as the kubelet does it
    if (!fs::is_symlink(mount / "kfp-eventd.yaml")) {
      fs::create_symlink("..data/kfp-eventd.yaml", mount / "kfp-eventd.yaml");
    }
  }
  std::string ConfigPath() const { return (dir_.path() / "config" / "kfp-eventd.yaml").string(); }

  int versions_ = 0;
};

std::string OneWebhook(const std::string& name, const std::string& url) {
  return "subscribers:\n  - name: " + name + "\n    url: " + url + "\n";
}

TEST_F(ReloadE2eTest, AChangeIsAppliedWithoutARestartAndABadOneIsRejected) {
  testing::LoopbackHttpServer second;
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  std::promise<void> gate1, gate2;
  std::shared_future<void> open1 = gate1.get_future().share();
  std::shared_future<void> open2 = gate2.get_future().share();
  WatchScript script;
  script.steps = Added(0, 6);
  script.steps.push_back(WatchStep::Do([open1] { open1.wait(); }));
  for (WatchStep& step : Added(6, 9)) script.steps.push_back(std::move(step));
  script.steps.push_back(WatchStep::Do([open2] { open2.wait(); }));
  for (WatchStep& step : Added(9, 18)) script.steps.push_back(std::move(step));
  api.AddWatch(script);

  Publish(OneWebhook("first", sink_.Url()));
  testing::BackgroundProcess daemon({testing::kBinary, "watch", "--kubeconfig",
                                     Kubeconfig(api.Url(), "    token: abc\n"), "--config",
                                     ConfigPath(), "--reload-interval", "100ms", "--no-reconcile",
                                     "--metrics-address", "127.0.0.1:0"});
  ASSERT_TRUE(sink_.WaitForRequests(6, seconds(30))) << daemon.Stderr();

  // A broken change: rejected with its problem, and the running configuration stays.
  Publish("subscribers:\n  - name: first\n    url: ftp://example.com/\n");
  EXPECT_TRUE(daemon.WaitForStderr("the changed configuration is rejected", seconds(20)))
      << daemon.Stderr();
  EXPECT_THAT(daemon.Stderr(), HasSubstr("kfp-eventd.yaml:3:10: subscribers[0].url: URL scheme "
                                         "must be http or https, not \"ftp\""));
  gate1.set_value();
  ASSERT_TRUE(sink_.WaitForRequests(9, seconds(30))) << daemon.Stderr();

  // A good change: `first` goes, `second` comes; the events after it go to `second` only.
  Publish(OneWebhook("second", second.Url()));
  EXPECT_TRUE(daemon.WaitForStderr(
      "configuration reloaded: added second; removed first; 1 subscriber", seconds(20)))
      << daemon.Stderr();
  gate2.set_value();
  ASSERT_TRUE(second.WaitForRequests(9, seconds(30))) << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(5)), 0) << daemon.Stderr();

  EXPECT_THAT(Bodies(), ::testing::ElementsAreArray(Expected(0, 9)));
  std::vector<std::string> later;
  for (const testing::RecordedRequest& request : second.Requests()) later.push_back(request.body);
  EXPECT_THAT(later, ::testing::ElementsAreArray(Expected(9, 18)));
  EXPECT_THAT(daemon.Stderr(), HasSubstr("subscriber second: 9 delivered"));
  EXPECT_THAT(daemon.Stderr(), HasSubstr("subscriber first: 9 delivered"));
}

// Changes that used to end the daemon or silently weaken it are rejected like any invalid one:
// a YAML alias bomb, a signing secret file that is a directory, a header file with a CRLF.
TEST_F(ReloadE2eTest, HostileChangesAreRejectedAndTheDaemonGoesOn) {
  FakeKubeApi api;
  ServeWorkflows(api);
  api.SetEvents({}, "100");
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  WatchScript script;
  script.steps = Added(0, 3);
  script.steps.push_back(WatchStep::Do([open] { open.wait(); }));
  for (WatchStep& step : Added(3, 6)) script.steps.push_back(std::move(step));
  api.AddWatch(script);

  Publish(OneWebhook("first", sink_.Url()));
  testing::BackgroundProcess daemon({testing::kBinary, "watch", "--kubeconfig",
                                     Kubeconfig(api.Url(), "    token: abc\n"), "--config",
                                     ConfigPath(), "--reload-interval", "100ms", "--no-reconcile",
                                     "--metrics-address", "127.0.0.1:0"});
  ASSERT_TRUE(sink_.WaitForRequests(3, seconds(30))) << daemon.Stderr();

  Publish(testing::AliasBombYaml() + OneWebhook("first", sink_.Url()));
  EXPECT_TRUE(daemon.WaitForStderr("expands to more than 100000 nodes", seconds(20)))
      << daemon.Stderr();
  fs::create_directories(dir_.path() / "secret-mount");
  Publish(OneWebhook("first", sink_.Url()) +
          "    secretFile: " + (dir_.path() / "secret-mount").string() + "\n");
  EXPECT_TRUE(daemon.WaitForStderr("is a directory: name the file of one key", seconds(20)))
      << daemon.Stderr();
  const std::string header = dir_.Write("api-key", "k-1\r\nX-Injected: 1\n");
  Publish(OneWebhook("first", sink_.Url()) + "    headerFiles: {X-Api-Key: " + header + "}\n");
  EXPECT_TRUE(daemon.WaitForStderr("holds a line break inside its value", seconds(20)))
      << daemon.Stderr();

  gate.set_value();  // still running, with the configuration it had
  ASSERT_TRUE(sink_.WaitForRequests(6, seconds(30))) << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(SIGTERM, seconds(5)), 0) << daemon.Stderr();
  for (const testing::RecordedRequest& request : sink_.Requests()) {
    EXPECT_EQ(request.Header("X-Injected"), "");
  }
}

}  // namespace
}  // namespace kfpevents
