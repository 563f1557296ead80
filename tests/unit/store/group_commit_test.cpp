#include "store/group_commit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "support/capturing_logger.hpp"

namespace kfpevents::store {
namespace {

using ::testing::HasSubstr;

// A Backend that counts transactions and can be told to fail, around a memory store.
class CountingBackend : public Backend {
 public:
  CountingBackend() : inner_(MakeMemoryStateStore()) {}
  Backend& inner() { return dynamic_cast<Backend&>(*inner_); }

  Status Apply(Batch& batch) override {
    std::unique_lock lock(mutex_);
    if (gate_) {
      auto gate = gate_;
      lock.unlock();
      gate->wait();
      lock.lock();
    }
    ++transactions_;
    if (!fail_with_.ok()) return fail_with_;
    return inner().Apply(batch);
  }
  Result<bool> IsNotified(const std::string& key) override { return inner().IsNotified(key); }
  Result<std::optional<store::RunMemo>> RunOf(const std::string& uid) override {
    return inner().RunOf(uid);
  }
  Result<std::vector<OutboxEntry>> LoadPending() override { return inner().LoadPending(); }
  Result<std::map<std::string, std::size_t>> CountPending() override {
    return inner().CountPending();
  }
  Result<std::vector<OutboxEntry>> LoadPendingPage(const std::string& subscriber,
                                                   std::int64_t after_id,
                                                   std::size_t limit) override {
    return inner().LoadPendingPage(subscriber, after_id, limit);
  }
  bool ChangedElsewhere() override { return false; }
  Status Prune() override { return Status::Ok(); }
  Status StillOnDisk() override { return Status::Ok(); }
  bool fresh() const override { return true; }
  TimePoint baseline() const override { return {}; }
  Result<std::map<std::string, std::string>> Checkpoints() override {
    return inner_->Checkpoints();
  }
  Result<std::vector<OutboxItem>> ListOutbox(const OutboxFilter& f) override {
    return inner_->ListOutbox(f);
  }
  Result<std::size_t> RetryOutbox(const OutboxFilter& f) override { return inner_->RetryOutbox(f); }
  Result<std::size_t> DropOutbox(const OutboxFilter& f) override { return inner_->DropOutbox(f); }

  void HoldCommitsUntil(std::shared_future<void> gate) {
    std::lock_guard lock(mutex_);
    gate_ = std::move(gate);
  }
  void FailWith(Status status) {
    std::lock_guard lock(mutex_);
    fail_with_ = std::move(status);
  }
  int transactions() {
    std::lock_guard lock(mutex_);
    return transactions_;
  }

 private:
  std::shared_ptr<StateStore> inner_;
  std::mutex mutex_;
  std::optional<std::shared_future<void>> gate_;
  Status fail_with_;
  int transactions_ = 0;
};

Batch OneRow(const std::string& key) {
  Batch batch;
  batch.notified.push_back(key);
  OutboxEntry& entry = batch.added.emplace_back();
  entry.subscriber = "sub";
  entry.message.id = key;
  return batch;
}

TEST(GroupCommitTest, BatchesWaitingDuringACommitShareTheNextOneAndArriveInOrder) {
  CountingBackend backend;
  std::promise<void> open_gate;
  backend.HoldCommitsUntil(open_gate.get_future().share());
  std::vector<std::string> handed_on;
  std::mutex mutex;
  GroupCommitOptions options;
  options.on_committed = [&](std::vector<OutboxEntry> rows) {
    std::lock_guard lock(mutex);
    for (const OutboxEntry& row : rows) handed_on.push_back(row.message.id);
  };
  GroupCommitter committer(backend, options);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(committer.Submit(OneRow(std::to_string(i)), true));
  open_gate.set_value();
  committer.Flush();
  // The first commit may have taken only the first batch; the other 49 waited and went together.
  EXPECT_LE(backend.transactions(), 2);
  std::lock_guard lock(mutex);
  ASSERT_EQ(handed_on.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(handed_on[i], std::to_string(i));
  EXPECT_TRUE(*backend.IsNotified("49"));
}

TEST(GroupCommitTest, AFailedCommitStopsIntakeWithTheStoresErrorAndHandsNothingOn) {
  CountingBackend backend;
  backend.FailWith(Status::Permanent("state store: COMMIT: database or disk is full"));
  auto logger = std::make_shared<testing::CapturingLogger>();
  bool handed_on = false;
  GroupCommitOptions options;
  options.on_committed = [&](std::vector<OutboxEntry>) { handed_on = true; };
  options.logger = logger;
  GroupCommitter committer(backend, options);
  ASSERT_TRUE(committer.Submit(OneRow("a"), true));
  committer.Flush();
  EXPECT_EQ(committer.error().code(), ErrorCode::kPermanent);
  EXPECT_FALSE(committer.Submit(OneRow("b"), true));
  EXPECT_FALSE(handed_on);
  EXPECT_THAT(logger->All(), HasSubstr("disk is full; stopping intake"));
}

}  // namespace
}  // namespace kfpevents::store
