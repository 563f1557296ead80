// The daemon's parts below RunDaemon: the config reloader (a change applied, a broken one
// rejected and the running set kept, a rewrite with the same content ignored) and the leader
// handover (resume where the last leader's annotation says, less the lease duration).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "daemon/config_reloader.hpp"
#include "daemon/handover.hpp"
#include "kfpevents/state.hpp"
#include "support/capturing_logger.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

class ConfigReloaderTest : public ::testing::Test {
 protected:
  // Replaced whole, as Kubernetes swaps a mounted ConfigMap: never read half-written.
  void WriteConfig(const std::string& urls_yaml) {
    const std::string next = config_ + ".next";
    std::ofstream(next) << "subscribers:\n" << urls_yaml;
    std::filesystem::rename(next, config_);
  }

  // The reloader with an apply that records the names it is given.
  std::unique_ptr<daemon::ConfigReloader> Start() {
    SubscriberSources sources;
    sources.config_file = config_;
    return std::make_unique<daemon::ConfigReloader>(
        sources, std::chrono::milliseconds(20),
        [this](std::vector<Subscription> next) {
          std::lock_guard lock(mutex_);
          std::vector<std::string> names;
          for (const Subscription& subscription : next) names.push_back(subscription.name);
          applied_.push_back(names);
          return Status::Ok();
        },
        logger_, metrics_);
  }

  std::vector<std::vector<std::string>> Applied() {
    std::lock_guard lock(mutex_);
    return applied_;
  }

  bool WaitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  testing::TempDir dir_;
  std::string config_ = (dir_.path() / "config.yaml").string();
  std::shared_ptr<testing::CapturingLogger> logger_ = std::make_shared<testing::CapturingLogger>();
  MetricsRegistry metrics_;
  std::mutex mutex_;
  std::vector<std::vector<std::string>> applied_;
};

TEST_F(ConfigReloaderTest, AChangeIsAppliedABrokenOneRejectedAndTheSameContentIgnored) {
  WriteConfig("  - {name: a, url: 'http://127.0.0.1:1/a'}\n");
  const auto reloader = Start();
  WriteConfig("  - {name: a, url: 'http://127.0.0.1:1/a'}\n  - {name: b, url: 'http://127.0.0.1:1/b'}\n");
  ASSERT_TRUE(WaitFor([&] { return Applied().size() == 1; }));
  EXPECT_THAT(Applied()[0], ::testing::ElementsAre("a", "b"));
  EXPECT_TRUE(WaitFor([&] { return logger_->All().find("configuration reloaded: added b") !=
                                   std::string::npos; }))
      << logger_->All();

  WriteConfig("  - {name: a, url: 'ftp://nope'}\n");  // does not build: rejected
  EXPECT_TRUE(WaitFor([&] {
    return metrics_.Render().find("kfp_eventd_config_last_reload_successful 0") !=
           std::string::npos;
  })) << metrics_.Render();
  EXPECT_THAT(logger_->All(), HasSubstr("the changed configuration is rejected"));
  EXPECT_EQ(Applied().size(), 1u);

  // Written again with the content last applied? A change from the rejected one: applied.
  WriteConfig("  - {name: a, url: 'http://127.0.0.1:1/a'}\n  - {name: b, url: 'http://127.0.0.1:1/b'}\n");
  ASSERT_TRUE(WaitFor([&] { return Applied().size() == 2; }));
  // The same bytes again are no change.
  WriteConfig("  - {name: a, url: 'http://127.0.0.1:1/a'}\n  - {name: b, url: 'http://127.0.0.1:1/b'}\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Applied().size(), 2u);
}

TEST_F(ConfigReloaderTest, NoFileOrNoIntervalMeansNoThread) {
  const daemon::ConfigReloader none({}, std::chrono::milliseconds(20),
                                    [](std::vector<Subscription>) { return Status::Ok(); },
                                    logger_, metrics_);
  SubscriberSources sources;
  sources.config_file = config_;
  WriteConfig("  - {name: a, url: 'http://127.0.0.1:1/a'}\n");
  bool called = false;
  const daemon::ConfigReloader off(sources, std::chrono::milliseconds(0),
                                   [&called](std::vector<Subscription>) {
                                     called = true;
                                     return Status::Ok();
                                   },
                                   logger_, metrics_);
  WriteConfig("  - {name: b, url: 'http://127.0.0.1:1/b'}\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(called);
}

// An elector that only answers what the Lease looked like when it was taken.
class InheritedLease : public LeaderElector {
 public:
  InheritedLease(std::string previous, std::map<std::string, std::string> annotations)
      : previous_(std::move(previous)), annotations_(std::move(annotations)) {}
  bool Acquire(std::stop_token, std::function<void()>) override { return true; }
  std::string PreviousHolder() const override { return previous_; }
  std::map<std::string, std::string> InheritedAnnotations() const override {
    return annotations_;
  }
  void Release() override {}

 private:
  std::string previous_;
  std::map<std::string, std::string> annotations_;
};

TEST(HandoverTest, ANewLeaderResumesWhereTheLastOneLeftLessTheLeaseDuration) {
  const auto at = std::chrono::system_clock::now() - std::chrono::minutes(1);
  const std::string handover = EncodeHandover({at, {{"kubeflow", "48042"}}, "pod-a"});
  // Released on SIGTERM: no holder any more, but the annotation names the writer.
  const InheritedLease lease("", {{kHandoverAnnotation, handover}});
  KubeEventSourceOptions source;
  testing::CapturingLogger logger;
  daemon::ApplyHandover(lease, "pod-b", std::chrono::seconds(15), source, logger);
  ASSERT_TRUE(source.resume_after.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(at - *source.resume_after).count(),
            15);
  EXPECT_EQ(source.resume_from.at("kubeflow"), "48042");
  EXPECT_EQ(source.reconcile_after, *source.resume_after);
  EXPECT_THAT(logger.All(), HasSubstr("taking over from pod-a: resuming its watches (kubeflow at "
                                      "48042)"));
}

TEST(HandoverTest, NobodyBeforeOrNoCheckpointsLeavesTheLocalState) {
  KubeEventSourceOptions source;
  testing::CapturingLogger logger;
  daemon::ApplyHandover(InheritedLease("", {}), "pod-b", std::chrono::seconds(15), source, logger);
  EXPECT_FALSE(source.resume_after.has_value());
  EXPECT_EQ(logger.All(), "");
  daemon::ApplyHandover(InheritedLease("pod-a", {}), "pod-b", std::chrono::seconds(15), source,
                        logger);
  EXPECT_FALSE(source.resume_after.has_value());
  EXPECT_THAT(logger.All(), HasSubstr("pod-a, which left no checkpoints"));
}

TEST(HandoverTest, TheWriterPutsTheStoresCheckpointsOnTheLease) {
  std::shared_ptr<StateStore> store = MakeMemoryStateStore();
  const auto writer = daemon::HandoverWriter(store, "pod-a");
  const std::map<std::string, std::string> annotations = writer();
  ASSERT_EQ(annotations.count(kHandoverAnnotation), 1u);
  const std::optional<Handover> decoded = DecodeHandover(annotations.at(kHandoverAnnotation));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->holder, "pod-a");
}

}  // namespace
}  // namespace kfpevents
