#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "store/backend.hpp"
#include "store/pending_head.hpp"
#include "support/capturing_logger.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

store::Backend& Backend(const std::shared_ptr<StateStore>& store) {
  return dynamic_cast<store::Backend&>(*store);
}

// `exclusive`: as the daemon opens it (false: as `kfp-eventd outbox` does, beside it).
std::shared_ptr<StateStore> Open(const testing::TempDir& dir,
                                 std::shared_ptr<Logger> logger = nullptr, bool exclusive = true) {
  StateStoreOptions options;
  options.dir = (dir.path() / "state").string();
  options.logger = std::move(logger);
  options.exclusive = exclusive;
  Result<std::shared_ptr<StateStore>> store = OpenStateStore(options);
  EXPECT_TRUE(store) << store.error().ToString();
  return store ? *store : nullptr;
}

store::OutboxEntry Entry(const std::string& subscriber, const std::string& id) {
  store::OutboxEntry entry;
  entry.subscriber = subscriber;
  entry.message.id = id;
  entry.message.body = std::string("{\"x\":\"") + id + "\"}\n\0binary" + id;
  entry.message.content_type = "application/json";
  entry.message.headers = {{"ce-id", id}, {"X-Empty", ""}};
  entry.created = entry.next_attempt = std::chrono::system_clock::now();
  return entry;
}

// Applies a batch that notifies `key` and queues one message for each subscriber.
std::vector<std::int64_t> Notify(StateStore& store, const std::string& key,
                                 std::vector<std::string> subscribers) {
  store::Batch batch;
  batch.notified.push_back(key);
  for (const std::string& subscriber : subscribers) {
    batch.added.push_back(Entry(subscriber, "msg_" + key));
  }
  EXPECT_TRUE(dynamic_cast<store::Backend&>(store).Apply(batch).ok());
  std::vector<std::int64_t> ids;
  for (const auto& entry : batch.added) ids.push_back(entry.id);
  return ids;
}

TEST(SqliteStoreTest, AStoreIsFreshOnceAndKeepsItsBaselineAcrossOpens) {
  testing::TempDir dir;
  TimePoint first_baseline;
  {
    auto store = Open(dir);
    EXPECT_TRUE(store->fresh());
    first_baseline = store->baseline();
    EXPECT_LE(std::chrono::abs(std::chrono::system_clock::now() - first_baseline),
              std::chrono::seconds(5));
  }
  auto again = Open(dir);
  EXPECT_FALSE(again->fresh());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(again->baseline() - first_baseline),
      std::chrono::milliseconds(0));
}

TEST(SqliteStoreTest, KeysRowsAndCheckpointsSurviveAReopenByteForByte) {
  testing::TempDir dir;
  store::OutboxEntry written = Entry("teams", "msg_a");
  {
    auto store = Open(dir);
    store::Batch batch;
    batch.notified = {"wf/node/WorkflowNodeSucceeded/1"};
    batch.added = {written};
    batch.checkpoints = {{"kubeflow", "48213"}};
    ASSERT_TRUE(Backend(store).Apply(batch).ok());
    EXPECT_GT(batch.added[0].id, 0);
  }
  auto store = Open(dir);
  EXPECT_TRUE(*Backend(store).IsNotified("wf/node/WorkflowNodeSucceeded/1"));
  EXPECT_FALSE(*Backend(store).IsNotified("wf/node/WorkflowNodeFailed/1"));
  EXPECT_EQ(*store->Checkpoints(), (std::map<std::string, std::string>{{"kubeflow", "48213"}}));
  Result<std::vector<store::OutboxEntry>> pending = Backend(store).LoadPending();
  ASSERT_TRUE(pending);
  ASSERT_THAT(*pending, SizeIs(1));
  EXPECT_EQ((*pending)[0].subscriber, "teams");
  EXPECT_EQ((*pending)[0].message.id, "msg_a");
  EXPECT_EQ((*pending)[0].message.body, written.message.body);
  EXPECT_EQ((*pending)[0].message.content_type, "application/json");
  EXPECT_EQ((*pending)[0].message.headers, written.message.headers);
}

TEST(SqliteStoreTest, DeliveredRowsGoRetriedOnesWaitAndDeadOnesLeaveThePending) {
  testing::TempDir dir;
  auto store = Open(dir);
  const std::vector<std::int64_t> ids = Notify(*store, "k1", {"a", "b", "c"});
  store::Batch outcomes;
  outcomes.delivered = {ids[0]};
  store::OutboxEntry retried;
  retried.id = ids[1];
  retried.attempts = 2;
  retried.next_attempt = std::chrono::system_clock::now() + std::chrono::minutes(5);
  retried.last_error = "HTTP 503";
  outcomes.retried = {retried};
  store::OutboxEntry dead;
  dead.id = ids[2];
  dead.attempts = 8;
  dead.last_error = "HTTP 400";
  outcomes.dead = {dead};
  ASSERT_TRUE(Backend(store).Apply(outcomes).ok());

  const std::vector<store::OutboxEntry> pending = *Backend(store).LoadPending();
  ASSERT_THAT(pending, SizeIs(1));
  EXPECT_EQ(pending[0].id, ids[1]);
  EXPECT_EQ(pending[0].attempts, 2);
  EXPECT_EQ(pending[0].last_error, "HTTP 503");
  EXPECT_GT(pending[0].next_attempt, std::chrono::system_clock::now());

  const std::vector<OutboxItem> listed = *store->ListOutbox({});
  ASSERT_THAT(listed, SizeIs(2));
  EXPECT_FALSE(listed[0].dead);
  EXPECT_TRUE(listed[1].dead);
  EXPECT_EQ(listed[1].subscriber, "c");
  EXPECT_EQ(listed[1].attempts, 8);
  EXPECT_EQ(*store->ListOutbox({"", {}, true}),
            std::vector<OutboxItem>(listed.begin() + 1, listed.end()));
}

// A page of the backlog: one subscriber's rows after an id, oldest first, never a dead one; the
// same from the durable store and the in-memory one.
TEST(StoreTest, APageIsOneSubscribersPendingRowsAfterAnId) {
  testing::TempDir dir;
  for (const std::shared_ptr<StateStore>& store : {Open(dir), MakeMemoryStateStore()}) {
    std::vector<std::int64_t> a_ids;
    for (int i = 0; i < 6; ++i) {
      a_ids.push_back(Notify(*store, "k" + std::to_string(i), {"a", "b"})[0]);
    }
    store::Batch outcomes;
    store::OutboxEntry dead;
    dead.id = a_ids[2];
    dead.attempts = 8;
    outcomes.dead = {dead};
    ASSERT_TRUE(Backend(store).Apply(outcomes).ok());
    const std::vector<store::OutboxEntry> page = *Backend(store).LoadPendingPage("a", a_ids[0], 3);
    ASSERT_THAT(page, SizeIs(3));
    EXPECT_EQ(page[0].id, a_ids[1]);  // a_ids[2] is dead
    EXPECT_EQ(page[1].id, a_ids[3]);
    EXPECT_EQ(page[2].id, a_ids[4]);
    EXPECT_EQ(page[0].subscriber, "a");
    EXPECT_EQ(page[0].message.body, Entry("a", "msg_k1").message.body);
    EXPECT_THAT(*Backend(store).LoadPendingPage("a", a_ids[4], 10), SizeIs(1));
    EXPECT_THAT(*Backend(store).LoadPendingPage("c", 0, 10), SizeIs(0));
  }
}

// What a start reads of a long outbox: each subscriber's oldest rows, in id order across them,
// and how many more each has; 0 reads all.
TEST(StoreTest, TheBacklogsHeadIsEachSubscribersOldestRowsAndACountOfTheRest) {
  testing::TempDir dir;
  for (const std::shared_ptr<StateStore>& store : {Open(dir), MakeMemoryStateStore()}) {
    std::vector<std::int64_t> ids;  // a, b, a, b, ...
    for (int i = 0; i < 5; ++i) {
      for (std::int64_t id : Notify(*store, "k" + std::to_string(i), {"a", "b"})) {
        ids.push_back(id);
      }
    }
    Notify(*store, "only-a", {"a"});
    store::Batch outcomes;
    store::OutboxEntry dead;
    dead.id = ids[1];  // b's first
    dead.attempts = 8;
    outcomes.dead = {dead};
    ASSERT_TRUE(Backend(store).Apply(outcomes).ok());

    EXPECT_EQ(*Backend(store).CountPending(),
              (std::map<std::string, std::size_t>{{"a", 6}, {"b", 4}}));
    Result<store::PendingHead> head = store::LoadPendingHead(Backend(store), 2);
    ASSERT_TRUE(head) << head.error().ToString();
    std::vector<std::int64_t> seen;
    for (const store::OutboxEntry& row : head->rows) seen.push_back(row.id);
    EXPECT_EQ(seen, (std::vector<std::int64_t>{ids[0], ids[2], ids[3], ids[5]}));
    EXPECT_EQ(head->beyond, (std::map<std::string, std::size_t>{{"a", 4}, {"b", 2}}));

    Result<store::PendingHead> all = store::LoadPendingHead(Backend(store), 0);
    ASSERT_TRUE(all);
    EXPECT_THAT(all->rows, SizeIs(10));
    EXPECT_TRUE(all->beyond.empty());
  }
}

TEST(SqliteStoreTest, RetryAndDropApplyToWhatTheFilterSelects) {
  testing::TempDir dir;
  auto store = Open(dir);
  const std::vector<std::int64_t> ids = Notify(*store, "k1", {"teams", "slack", "teams"});
  store::Batch outcomes;
  for (std::int64_t id : ids) {
    store::OutboxEntry dead;
    dead.id = id;
    dead.attempts = 8;
    outcomes.dead.push_back(dead);
  }
  ASSERT_TRUE(Backend(store).Apply(outcomes).ok());
  EXPECT_THAT(*Backend(store).LoadPending(), SizeIs(0));

  EXPECT_EQ(*store->RetryOutbox({"teams", {}, true}), 2u);
  const std::vector<store::OutboxEntry> pending = *Backend(store).LoadPending();
  ASSERT_THAT(pending, SizeIs(2));
  EXPECT_EQ(pending[0].attempts, 0);  // a fresh budget
  EXPECT_LE(pending[0].next_attempt, std::chrono::system_clock::now());

  EXPECT_EQ(*store->DropOutbox({"", {ids[1]}, false}), 1u);
  EXPECT_THAT(*store->ListOutbox({}), SizeIs(2));
  EXPECT_EQ(*store->DropOutbox({"nobody", {}, false}), 0u);
}

TEST(SqliteStoreTest, NoticesAChangeMadeByAnotherConnection) {
  testing::TempDir dir;
  auto daemon = Open(dir);
  Notify(*daemon, "k1", {"teams"});
  EXPECT_FALSE(Backend(daemon).ChangedElsewhere());  // its own commit
  auto command = Open(dir, nullptr, false);          // as `kfp-eventd outbox drop` would
  EXPECT_EQ(*command->DropOutbox({"teams", {}, false}), 1u);
  EXPECT_TRUE(Backend(daemon).ChangedElsewhere());
  EXPECT_FALSE(Backend(daemon).ChangedElsewhere());
}

TEST(SqliteStoreTest, PruneForgetsKeysAndRunsOlderThanTheRetention) {
  testing::TempDir dir;
  StateStoreOptions options;
  options.dir = dir.path().string();
  options.retention = std::chrono::hours(0);
  auto store = *OpenStateStore(options);
  Notify(*store, "old", {});
  store::Batch batch;
  batch.runs.push_back({"wf-uid", "run-1", true});
  ASSERT_TRUE(Backend(store).Apply(batch).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the key must be older than now
  ASSERT_TRUE(Backend(store).Prune().ok());
  EXPECT_FALSE(*Backend(store).IsNotified("old"));
  EXPECT_FALSE(*Backend(store).RunOf("wf-uid"));
}

// A run's id outlives its Workflow (KFP 2.17 deletes finished runs after an hour) and a restart.
TEST(SqliteStoreTest, KeepsEachRunsMemoAcrossOpens) {
  testing::TempDir dir;
  {
    auto store = Open(dir);
    store::Batch batch;
    batch.runs.push_back({"uid-1", "run-1", true});
    batch.runs.push_back({"uid-2", "run-2", false});
    ASSERT_TRUE(Backend(store).Apply(batch).ok());
  }
  auto store = Open(dir);
  EXPECT_EQ(*Backend(store).RunOf("uid-1"), (store::RunMemo{"uid-1", "run-1", true}));
  EXPECT_EQ(*Backend(store).RunOf("uid-2"), (store::RunMemo{"uid-2", "run-2", false}));
  EXPECT_EQ(*Backend(store).RunOf("uid-3"), std::nullopt);
}

TEST(MemoryStoreTest, KeepsEachRunsMemoWhileTheProcessLives) {
  auto store = MakeMemoryStateStore(std::chrono::milliseconds(0));
  store::Batch batch;
  batch.runs.push_back({"uid-1", "run-1", true});
  ASSERT_TRUE(Backend(store).Apply(batch).ok());
  EXPECT_EQ(*Backend(store).RunOf("uid-1"), (store::RunMemo{"uid-1", "run-1", true}));
  EXPECT_EQ(*Backend(store).RunOf("uid-2"), std::nullopt);
}

TEST(SqliteStoreTest, ACorruptDatabaseIsMovedAsideAndANewOneStartsFromItsLastWrite) {
  testing::TempDir dir;
  const std::filesystem::path state = dir.path() / "state";
  std::filesystem::create_directories(state);
  dir.Write("state/state.db", std::string(8192, 'x'));
  const auto written = std::chrono::system_clock::now();
  auto logger = std::make_shared<testing::CapturingLogger>();
  auto store = Open(dir, logger);
  ASSERT_NE(store, nullptr);
  // A restart that lost its memory, not a first start: the first list is no baseline.
  EXPECT_FALSE(store->fresh());
  // It starts a minute before the damaged file's last write, so nothing after it is missed.
  EXPECT_LE(store->baseline(), written - std::chrono::seconds(55));
  EXPECT_GE(store->baseline(), written - std::chrono::seconds(70));
  const std::vector<std::string> errors = logger->Lines(LogLevel::kError);
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], HasSubstr("is unusable"));
  EXPECT_THAT(errors[0], HasSubstr("moved it to "));
  int aside = 0;
  for (const auto& entry : std::filesystem::directory_iterator(state)) {
    aside += entry.path().filename().string().rfind("state.db.corrupt-", 0) == 0;
  }
  EXPECT_EQ(aside, 1);
  Notify(*store, "k", {"teams"});  // and the new one works
  EXPECT_THAT(*Backend(store).LoadPending(), SizeIs(1));
}

// A store that committed, between the two times returned; then a wait, so that damage done
// next is visibly later than the commit.
std::pair<TimePoint, TimePoint> CommitThenWait(const testing::TempDir& dir) {
  const TimePoint before = std::chrono::system_clock::now();
  {
    auto store = Open(dir);
    EXPECT_NE(store, nullptr);
    if (store) Notify(*store, "k", {"teams"});
  }
  const TimePoint after = std::chrono::system_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  return {before, after};
}

// A 0-byte state.db is what SQLite would take for a new database; it is damage, and the new
// store goes on from the last commit state.lock recorded, not from now.
TEST(SqliteStoreTest, AnEmptyDatabaseIsDamageAndGoesOnFromTheLastCommit) {
  testing::TempDir dir;
  const auto [before, after] = CommitThenWait(dir);
  std::filesystem::resize_file(dir.path() / "state" / "state.db", 0);  // later than the commit
  std::filesystem::remove(dir.path() / "state" / "state.db-wal");
  auto logger = std::make_shared<testing::CapturingLogger>();
  auto store = Open(dir, logger);
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->fresh());
  // A minute before the commit: not from the later damage, nor from now.
  EXPECT_GE(store->baseline(), before - std::chrono::seconds(61));
  EXPECT_LE(store->baseline(), after - std::chrono::seconds(59));
  ASSERT_THAT(logger->Lines(LogLevel::kError), SizeIs(1));
  EXPECT_THAT(logger->Lines(LogLevel::kError)[0], HasSubstr("it is empty (0 bytes)"));
}

TEST(SqliteStoreTest, AMissingDatabaseWhereTheLockShowsCommitsIsDamage) {
  testing::TempDir dir;
  const auto [before, after] = CommitThenWait(dir);
  for (const char* file : {"state.db", "state.db-wal", "state.db-shm"}) {
    std::filesystem::remove(dir.path() / "state" / file);
  }
  auto logger = std::make_shared<testing::CapturingLogger>();
  auto store = Open(dir, logger);
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->fresh());
  EXPECT_GE(store->baseline(), before - std::chrono::seconds(61));
  EXPECT_LE(store->baseline(), after - std::chrono::seconds(59));
  ASSERT_THAT(logger->Lines(LogLevel::kError), SizeIs(1));
  EXPECT_THAT(logger->Lines(LogLevel::kError)[0], HasSubstr("it is missing"));
}

TEST(SqliteStoreTest, ADatabaseDeletedWhileOpenFailsTheNextCommit) {
  testing::TempDir dir;
  auto store = Open(dir);
  ASSERT_NE(store, nullptr);
  Notify(*store, "k1", {"teams"});
  std::filesystem::remove(dir.path() / "state" / "state.db");
  Status there = Backend(store).StillOnDisk();
  EXPECT_EQ(there.code(), ErrorCode::kInternal);
  EXPECT_THAT(there.message(), HasSubstr("was deleted or replaced while kfp-eventd had it open"));
  store::Batch batch;
  batch.notified.push_back("k2");
  EXPECT_FALSE(Backend(store).Apply(batch).ok());
}

TEST(SqliteStoreTest, OneProcessAtATimeAndOwnerOnlyFiles) {
  testing::TempDir dir;
  auto store = Open(dir);
  ASSERT_NE(store, nullptr);
  StateStoreOptions options;
  options.dir = (dir.path() / "state").string();
  Result<std::shared_ptr<StateStore>> second = OpenStateStore(options);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(second.error().message(),
              HasSubstr("is in use by another kfp-eventd (pid " + std::to_string(getpid()) + ")"));
  // A tool that does not lock (kfp-eventd outbox) works beside it.
  options.exclusive = false;
  options.replace_damaged = false;
  Result<std::shared_ptr<StateStore>> tool = OpenStateStore(options);
  ASSERT_TRUE(tool) << tool.error().ToString();
  Notify(*store, "k", {"teams"});
  EXPECT_THAT(*(*tool)->ListOutbox({}), SizeIs(1));

  namespace fs = std::filesystem;
  EXPECT_EQ(fs::status(dir.path() / "state").permissions() & fs::perms::all, fs::perms::owner_all);
  for (const char* file : {"state.db", "state.db-wal", "state.lock"}) {
    EXPECT_EQ(fs::status(dir.path() / "state" / file).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write)
        << file;
  }
  store.reset();  // released with the store
  tool->reset();
  options.exclusive = true;
  EXPECT_TRUE(OpenStateStore(options));
}

TEST(SqliteStoreTest, AToolThatOnlyLooksReportsADamagedDatabaseAndLeavesIt) {
  testing::TempDir dir;
  const std::string path = dir.Write("state/state.db", std::string(8192, 'x'));
  StateStoreOptions options;
  options.dir = (dir.path() / "state").string();
  options.replace_damaged = false;
  Result<std::shared_ptr<StateStore>> store = OpenStateStore(options);
  ASSERT_FALSE(store);
  EXPECT_THAT(store.error().message(), HasSubstr("file is not a database"));
  EXPECT_EQ(std::filesystem::file_size(path), 8192u);
}

TEST(SqliteStoreTest, ADatabaseFromANewerReleaseIsRefusedNotMovedAside) {
  testing::TempDir dir;
  { Open(dir); }
  const std::string path = (dir.path() / "state" / "state.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  StateStoreOptions options;
  options.dir = (dir.path() / "state").string();
  Result<std::shared_ptr<StateStore>> store = OpenStateStore(options);
  ASSERT_FALSE(store);
  EXPECT_THAT(store.error().message(), HasSubstr("schema version 99"));
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteStoreTest, AFolderThatCannotBeCreatedIsAClearError) {
  testing::TempDir dir;
  const std::string file = dir.Write("not-a-dir", "x");
  StateStoreOptions options;
  options.dir = file + "/state";
  Result<std::shared_ptr<StateStore>> store = OpenStateStore(options);
  ASSERT_FALSE(store);
  EXPECT_THAT(store.error().message(), HasSubstr("state dir " + file + "/state cannot be created"));
}

TEST(MemoryStoreTest, BehavesLikeTheDurableOneForAsLongAsItLives) {
  auto store = MakeMemoryStateStore();
  EXPECT_TRUE(store->fresh());
  const std::vector<std::int64_t> ids = Notify(*store, "k1", {"a", "b"});
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2}));
  EXPECT_TRUE(*Backend(store).IsNotified("k1"));
  store::Batch outcomes;
  outcomes.delivered = {ids[0]};
  store::OutboxEntry dead;
  dead.id = ids[1];
  dead.attempts = 3;
  outcomes.dead = {dead};
  ASSERT_TRUE(Backend(store).Apply(outcomes).ok());
  EXPECT_THAT(*Backend(store).LoadPending(), SizeIs(0));
  EXPECT_EQ(*store->RetryOutbox({"", {}, true}), 1u);
  EXPECT_TRUE(Backend(store).ChangedElsewhere());
  EXPECT_THAT(*Backend(store).LoadPending(), SizeIs(1));
}

}  // namespace
}  // namespace kfpevents
