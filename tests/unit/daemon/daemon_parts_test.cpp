// The daemon's parts below RunDaemon: the config reloader (a change applied, a broken one
// rejected and the running set kept, a rewrite with the same content ignored), on a manual clock
// that moves only when the test says, and the leader handover (resume where the last leader's
// annotation says, less the lease duration).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "daemon/config_reloader.hpp"
#include "daemon/handover.hpp"
#include "kfpevents/state.hpp"
#include "support/capturing_logger.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

class ConfigReloaderTest : public ::testing::Test {
 protected:
  // Replaced whole, as Kubernetes swaps a mounted ConfigMap: never read half-written.
  void WriteConfig(const std::string& subscribers_yaml) {
    const std::string next = config_ + ".next";
    std::ofstream(next) << "subscribers:\n" << subscribers_yaml;
    std::filesystem::rename(next, config_);
  }

  // The reloader, checking every second of the manual clock, with an apply that records the
  // names it is given.
  std::unique_ptr<daemon::ConfigReloader> Start() {
    SubscriberSources sources;
    sources.config_file = config_;
    auto reloader = std::make_unique<daemon::ConfigReloader>(
        sources, std::chrono::seconds(1),
        [this](std::vector<Subscription> next) {
          std::vector<std::string> names;
          for (const Subscription& subscription : next) names.push_back(subscription.name);
          applied_.push_back(names);  // on the reloader's thread, between our Tick()s
          return Status::Ok();
        },
        logger_, metrics_, clock_);
    EXPECT_TRUE(clock_->WaitForSleeps(1));
    return reloader;
  }

  // One interval passes; returns once the reloader has checked and waits again.
  void Tick() {
    clock_->Advance(std::chrono::seconds(1));
    ASSERT_TRUE(clock_->WaitForSleeps(++ticks_ + 1));
  }

  testing::TempDir dir_;
  std::string config_ = (dir_.path() / "config.yaml").string();
  std::shared_ptr<testing::CapturingLogger> logger_ = std::make_shared<testing::CapturingLogger>();
  std::shared_ptr<testing::ManualClock> clock_ = std::make_shared<testing::ManualClock>();
  MetricsRegistry metrics_;
  std::vector<std::vector<std::string>> applied_;
  int ticks_ = 0;
};

const std::string kA = "  - {name: a, url: 'http://127.0.0.1:1/a'}\n";
const std::string kB = "  - {name: b, url: 'http://127.0.0.1:1/b'}\n";

TEST_F(ConfigReloaderTest, AChangeIsAppliedABrokenOneRejectedAndTheSameContentIgnored) {
  WriteConfig(kA);
  const auto reloader = Start();
  Tick();
  EXPECT_TRUE(applied_.empty());  // nothing changed yet
  WriteConfig(kA + kB);
  Tick();
  ASSERT_EQ(applied_.size(), 1u);
  EXPECT_THAT(applied_[0], ::testing::ElementsAre("a", "b"));
  EXPECT_THAT(logger_->All(), HasSubstr("configuration reloaded: added b; 2 subscribers"));

  WriteConfig("  - {name: a, url: 'ftp://nope'}\n");  // does not build: rejected
  Tick();
  EXPECT_EQ(applied_.size(), 1u);
  EXPECT_THAT(metrics_.Render(), HasSubstr("kfp_eventd_config_last_reload_successful 0"));
  EXPECT_THAT(logger_->All(), HasSubstr("the changed configuration is rejected"));

  WriteConfig(kA + kB);  // fixed: a change from the rejected content, so applied
  Tick();
  EXPECT_EQ(applied_.size(), 2u);
  EXPECT_THAT(metrics_.Render(), HasSubstr("kfp_eventd_config_last_reload_successful 1"));
  WriteConfig(kA + kB);  // the same bytes again: no change
  Tick();
  EXPECT_EQ(applied_.size(), 2u);
}

TEST_F(ConfigReloaderTest, NoFileOrNoIntervalMeansNoThread) {
  const daemon::ConfigReloader none({}, std::chrono::seconds(1),
                                    [](std::vector<Subscription>) { return Status::Ok(); },
                                    logger_, metrics_, clock_);
  SubscriberSources sources;
  sources.config_file = config_;
  WriteConfig(kA);
  const daemon::ConfigReloader off(sources, std::chrono::milliseconds(0),
                                   [](std::vector<Subscription>) { return Status::Ok(); },
                                   logger_, metrics_, clock_);
  EXPECT_FALSE(clock_->WaitForSleeps(1, std::chrono::milliseconds(200)))
      << "a reloader waits for its next check";
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
