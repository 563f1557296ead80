// The durable StateStore: one SQLite database in WAL mode. One connection writes (grouped
// commits from the pipeline, `outbox` commands), another answers key lookups while a commit
// is under way.
#include <filesystem>
#include <mutex>
#include <system_error>

#include "store/backend.hpp"
#include "store/sqlite_db.hpp"
#include "store/state_dir.hpp"
#include "store/time_codec.hpp"

namespace kfpevents {
namespace {

namespace fs = std::filesystem;
using store::Database;
using store::Statement;

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints(
  scope TEXT PRIMARY KEY, resource_version TEXT NOT NULL, updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notified(key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS notified_by_time ON notified(at_ms);
CREATE TABLE IF NOT EXISTS runs(
  workflow_uid TEXT PRIMARY KEY, run_id TEXT NOT NULL, kfp_v2 INTEGER NOT NULL,
  at_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS runs_by_time ON runs(at_ms);
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subscriber TEXT NOT NULL,
  message_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  headers TEXT NOT NULL,
  destination TEXT NOT NULL DEFAULT '',
  body BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  dead INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS outbox_by_subscriber ON outbox(subscriber, dead, id);
)sql";

// Message headers as "name\nvalue\n" pairs: HTTP header names and values hold no newlines.
std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string text;
  for (const auto& [name, value] : headers) text += name + '\n' + value + '\n';
  return text;
}

std::vector<std::pair<std::string, std::string>> DecodeHeaders(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t name_end = text.find('\n', at);
    if (name_end == std::string::npos) break;
    const std::size_t value_end = text.find('\n', name_end + 1);
    if (value_end == std::string::npos) break;
    headers.emplace_back(text.substr(at, name_end - at),
                         text.substr(name_end + 1, value_end - name_end - 1));
    at = value_end + 1;
  }
  return headers;
}

// "WHERE ..." for a filter, with its values bound by BindFilter in the same order.
std::string FilterSql(const OutboxFilter& filter) {
  std::string sql = " WHERE 1";
  if (!filter.subscriber.empty()) sql += " AND subscriber = ?";
  if (filter.dead_only) sql += " AND dead = 1";
  if (!filter.ids.empty()) {
    sql += " AND id IN (";
    for (std::size_t i = 0; i < filter.ids.size(); ++i) sql += i == 0 ? "?" : ",?";
    sql += ")";
  }
  return sql;
}

void BindFilter(Statement& statement, const OutboxFilter& filter, int first) {
  int index = first;
  if (!filter.subscriber.empty()) statement.Bind(index++, filter.subscriber);
  for (const std::int64_t id : filter.ids) statement.Bind(index++, id);
}

class SqliteStore final : public store::Backend {
 public:
  SqliteStore(StateStoreOptions options, Database writer, Database reader, bool fresh,
              TimePoint baseline, std::optional<store::StateDirLock> lock, std::string path)
      : options_(std::move(options)),
        writer_(std::move(writer)),
        reader_(std::move(reader)),
        fresh_(fresh),
        baseline_(baseline),
        lock_(std::move(lock)),
        path_(std::move(path)),
        identity_(store::FileIdentity::Of(path_)) {}

  Status PrepareStatements() {
    struct Entry {
      Statement* statement;
      Database* db;
      const char* sql;
    };
    const Entry entries[] = {
        {&insert_key_, &writer_, "INSERT OR IGNORE INTO notified(key, at_ms) VALUES(?, ?)"},
        {&insert_row_, &writer_,
         "INSERT INTO outbox(subscriber, message_id, content_type, headers, body, created_ms, "
         "next_attempt_ms, destination) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"},
        {&upsert_checkpoint_, &writer_,
         "INSERT INTO checkpoints(scope, resource_version, updated_ms) VALUES(?, ?, ?) "
         "ON CONFLICT(scope) DO UPDATE SET resource_version = excluded.resource_version, "
         "updated_ms = excluded.updated_ms"},
        {&delete_row_, &writer_, "DELETE FROM outbox WHERE id = ?"},
        {&retry_row_, &writer_,
         "UPDATE outbox SET attempts = ?, next_attempt_ms = ?, last_error = ? WHERE id = ?"},
        {&dead_row_, &writer_,
         "UPDATE outbox SET attempts = ?, last_error = ?, dead = 1 WHERE id = ?"},
        {&find_key_, &reader_, "SELECT 1 FROM notified WHERE key = ?"},
        {&upsert_run_, &writer_,
         "INSERT OR REPLACE INTO runs(workflow_uid, run_id, kfp_v2, at_ms) VALUES(?, ?, ?, ?)"},
        {&find_run_, &reader_, "SELECT run_id, kfp_v2 FROM runs WHERE workflow_uid = ?"},
    };
    for (const Entry& entry : entries) {
      Result<Statement> statement = entry.db->Prepare(entry.sql);
      if (!statement) return statement.error();
      *entry.statement = std::move(*statement);
    }
    return Status::Ok();
  }

  bool fresh() const override { return fresh_; }
  TimePoint baseline() const override { return baseline_; }

  Result<std::map<std::string, std::string>> Checkpoints() override {
    std::lock_guard lock(writer_mutex_);
    Result<Statement> query = writer_.Prepare("SELECT scope, resource_version FROM checkpoints");
    if (!query) return query.error();
    std::map<std::string, std::string> checkpoints;
    for (;;) {
      Result<bool> row = query->Step();
      if (!row) return row.error();
      if (!*row) break;
      checkpoints[query->Text(0)] = query->Text(1);
    }
    return checkpoints;
  }

  Status Apply(store::Batch& batch) override {
    if (Status there = StillOnDisk(); !there.ok()) return there;
    std::lock_guard lock(writer_mutex_);
    if (Status begun = writer_.Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
    Status applied = ApplyLocked(batch);
    if (applied.ok()) applied = writer_.Exec("COMMIT");
    if (!applied.ok()) {
      (void)writer_.Exec("ROLLBACK");  // may fail when SQLite already rolled back; harmless
      for (store::OutboxEntry& entry : batch.added) entry.id = 0;
    } else if (lock_) {
      lock_->MarkCommit();  // the last commit's time, kept outside state.db
    }
    return applied;
  }

  Status StillOnDisk() override {
    if (store::FileIdentity::Of(path_) == identity_) return Status::Ok();
    return Status::Internal("state store " + path_ +
                            " was deleted or replaced while kfp-eventd had it open: what it "
                            "records now would be lost; restart kfp-eventd to go on from the "
                            "store on disk (what happened since its last commit is notified "
                            "again)");
  }

  Result<bool> IsNotified(const std::string& key) override {
    std::lock_guard lock(reader_mutex_);
    find_key_.Bind(1, key);
    Result<bool> row = find_key_.Step();
    find_key_.Reset();
    return row;
  }

  Result<std::optional<store::RunMemo>> RunOf(const std::string& workflow_uid) override {
    std::lock_guard lock(reader_mutex_);
    find_run_.Bind(1, workflow_uid);
    Result<bool> row = find_run_.Step();
    std::optional<store::RunMemo> memo;
    if (row && *row) memo = store::RunMemo{workflow_uid, find_run_.Text(0), find_run_.Int(1) != 0};
    find_run_.Reset();
    if (!row) return row.error();
    return memo;
  }

  Result<std::vector<store::OutboxEntry>> LoadPending() override {
    std::lock_guard lock(writer_mutex_);
    Result<Statement> query =
        writer_.Prepare(std::string(kOutboxColumns) + " WHERE dead = 0 ORDER BY id");
    if (!query) return query.error();
    return ReadRows(*query);
  }

  Result<std::map<std::string, std::size_t>> CountPending() override {
    std::lock_guard lock(writer_mutex_);
    Result<Statement> query = writer_.Prepare(
        "SELECT subscriber, COUNT(*) FROM outbox WHERE dead = 0 GROUP BY subscriber");
    if (!query) return query.error();
    std::map<std::string, std::size_t> counts;
    for (;;) {
      Result<bool> row = query->Step();
      if (!row) return row.error();
      if (!*row) break;
      counts[query->Text(0)] = static_cast<std::size_t>(query->Int(1));
    }
    return counts;
  }

  Result<std::vector<store::OutboxEntry>> LoadPendingPage(const std::string& subscriber,
                                                          std::int64_t after_id,
                                                          std::size_t limit) override {
    std::lock_guard lock(writer_mutex_);
    Result<Statement> query = writer_.Prepare(
        std::string(kOutboxColumns) +
        " WHERE subscriber = ? AND dead = 0 AND id > ? ORDER BY id LIMIT ?");
    if (!query) return query.error();
    query->Bind(1, std::string_view(subscriber))
        .Bind(2, after_id)
        .Bind(3, static_cast<std::int64_t>(limit));
    return ReadRows(*query);
  }

  static constexpr const char* kOutboxColumns =
      "SELECT id, subscriber, message_id, content_type, headers, body, created_ms, attempts, "
      "next_attempt_ms, last_error, destination FROM outbox";

  // The rows a query over kOutboxColumns finds, in its order.
  static Result<std::vector<store::OutboxEntry>> ReadRows(Statement& query) {
    std::vector<store::OutboxEntry> entries;
    for (;;) {
      Result<bool> row = query.Step();
      if (!row) return row.error();
      if (!*row) break;
      store::OutboxEntry& entry = entries.emplace_back();
      entry.id = query.Int(0);
      entry.subscriber = query.Text(1);
      entry.message.id = query.Text(2);
      entry.message.content_type = query.Text(3);
      entry.message.headers = DecodeHeaders(query.Text(4));
      entry.message.body = query.Text(5);
      entry.created = store::FromMillis(query.Int(6));
      entry.attempts = static_cast<int>(query.Int(7));
      entry.next_attempt = store::FromMillis(query.Int(8));
      entry.last_error = query.Text(9);
      entry.message.destination = query.Text(10);
    }
    return entries;
  }

  bool ChangedElsewhere() override {
    std::lock_guard lock(writer_mutex_);
    Result<std::string> version = writer_.QueryText("PRAGMA data_version");
    if (!version) return false;
    const bool changed = !data_version_.empty() && *version != data_version_;
    data_version_ = *version;
    return changed;
  }

  Status Prune() override {
    std::lock_guard lock(writer_mutex_);
    const std::int64_t cutoff =
        store::ToMillis(std::chrono::system_clock::now() - options_.retention);
    for (const char* sql :
         {"DELETE FROM notified WHERE at_ms < ?", "DELETE FROM runs WHERE at_ms < ?"}) {
      Result<Statement> prune = writer_.Prepare(sql);
      if (!prune) return prune.error();
      if (Status pruned = prune->Bind(1, cutoff).Run(); !pruned.ok()) return pruned;
    }
    return Status::Ok();
  }

  Result<std::vector<OutboxItem>> ListOutbox(const OutboxFilter& filter) override {
    std::lock_guard lock(writer_mutex_);
    Result<Statement> query = writer_.Prepare(
        "SELECT id, subscriber, message_id, length(body), attempts, created_ms, next_attempt_ms, "
        "last_error, dead FROM outbox" +
        FilterSql(filter) + " ORDER BY id");
    if (!query) return query.error();
    BindFilter(*query, filter, 1);
    std::vector<OutboxItem> items;
    for (;;) {
      Result<bool> row = query->Step();
      if (!row) return row.error();
      if (!*row) break;
      OutboxItem& item = items.emplace_back();
      item.id = query->Int(0);
      item.subscriber = query->Text(1);
      item.message_id = query->Text(2);
      item.body_bytes = static_cast<std::size_t>(query->Int(3));
      item.attempts = static_cast<int>(query->Int(4));
      item.created = store::FromMillis(query->Int(5));
      item.next_attempt = store::FromMillis(query->Int(6));
      item.last_error = query->Text(7);
      item.dead = query->Int(8) != 0;
    }
    return items;
  }

  Result<std::size_t> RetryOutbox(const OutboxFilter& filter) override {
    return Change("UPDATE outbox SET dead = 0, attempts = 0, next_attempt_ms = ?", filter, true);
  }

  Result<std::size_t> DropOutbox(const OutboxFilter& filter) override {
    return Change("DELETE FROM outbox", filter, false);
  }

 private:
  Status ApplyLocked(store::Batch& batch) {
    const std::int64_t now = store::ToMillis(std::chrono::system_clock::now());
    for (const std::string& key : batch.notified) {
      if (Status s = insert_key_.Bind(1, key).Bind(2, now).Run(); !s.ok()) return s;
    }
    for (const store::RunMemo& run : batch.runs) {
      upsert_run_.Bind(1, run.workflow_uid)
          .Bind(2, run.run_id)
          .Bind(3, std::int64_t{run.kfp_v2 ? 1 : 0})
          .Bind(4, now);
      if (Status s = upsert_run_.Run(); !s.ok()) return s;
    }
    for (store::OutboxEntry& entry : batch.added) {
      insert_row_.Bind(1, entry.subscriber)
          .Bind(2, entry.message.id)
          .Bind(3, entry.message.content_type)
          .Bind(4, EncodeHeaders(entry.message.headers))
          .BindBlob(5, entry.message.body)
          .Bind(6, store::ToMillis(entry.created))
          .Bind(7, store::ToMillis(entry.next_attempt))
          .Bind(8, entry.message.destination);
      if (Status s = insert_row_.Run(); !s.ok()) return s;
      entry.id = sqlite3_last_insert_rowid(writer_.get());
    }
    for (const auto& [scope, version] : batch.checkpoints) {
      upsert_checkpoint_.Bind(1, scope).Bind(2, version).Bind(3, now);
      if (Status s = upsert_checkpoint_.Run(); !s.ok()) return s;
    }
    for (const std::int64_t id : batch.delivered) {
      if (Status s = delete_row_.Bind(1, id).Run(); !s.ok()) return s;
    }
    for (const store::OutboxEntry& entry : batch.retried) {
      retry_row_.Bind(1, std::int64_t{entry.attempts})
          .Bind(2, store::ToMillis(entry.next_attempt))
          .Bind(3, entry.last_error)
          .Bind(4, entry.id);
      if (Status s = retry_row_.Run(); !s.ok()) return s;
    }
    for (const store::OutboxEntry& entry : batch.dead) {
      dead_row_.Bind(1, std::int64_t{entry.attempts}).Bind(2, entry.last_error).Bind(3, entry.id);
      if (Status s = dead_row_.Run(); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Result<std::size_t> Change(const std::string& head, const OutboxFilter& filter, bool due_now) {
    std::lock_guard lock(writer_mutex_);
    Result<Statement> change = writer_.Prepare(head + FilterSql(filter));
    if (!change) return change.error();
    if (due_now) change->Bind(1, store::ToMillis(std::chrono::system_clock::now()));
    BindFilter(*change, filter, due_now ? 2 : 1);
    if (Status s = change->Run(); !s.ok()) return s;
    return static_cast<std::size_t>(sqlite3_changes(writer_.get()));
  }

  const StateStoreOptions options_;
  std::mutex writer_mutex_;
  Database writer_;
  std::mutex reader_mutex_;
  Database reader_;
  const bool fresh_;
  const TimePoint baseline_;
  const std::optional<store::StateDirLock> lock_;
  const std::string path_;
  const std::optional<store::FileIdentity> identity_;
  std::string data_version_;
  Statement insert_key_, insert_row_, upsert_checkpoint_, delete_row_, retry_row_, dead_row_;
  Statement upsert_run_;
  Statement find_key_, find_run_;  // on reader_
};

// The database's own health: it must be SQLite and pass a quick check (kInternal otherwise).
Status Check(Database& db) {
  Result<std::string> integrity = db.QueryText("PRAGMA quick_check");
  if (!integrity) return integrity.error();
  if (*integrity != "ok") {
    return Status::Internal("state store: integrity check failed: " + *integrity);
  }
  return Status::Ok();
}

struct Opened {
  Database db;
  bool fresh = false;
  TimePoint baseline;
};

Result<Opened> OpenAndMigrate(const std::string& path, const StateStoreOptions& options,
                              TimePoint new_baseline) {
  Result<Database> db = Database::Open(path);
  if (!db) return db.error();
  if (Status s = Check(*db); !s.ok()) return s;
  if (Status s = db->Exec(std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                          (options.synchronous_full ? "FULL" : "NORMAL") + ";" + kSchema);
      !s.ok()) {
    return s;
  }
  Result<std::string> version = db->QueryText("SELECT value FROM meta WHERE key = 'schema'");
  if (!version) return version.error();
  if (!version->empty() && *version != std::to_string(kSchemaVersion)) {
    return Status::InvalidArgument("state store " + path + " has schema version " + *version +
                                   "; this kfp-eventd knows version " +
                                   std::to_string(kSchemaVersion) +
                                   " (was it written by a newer release?)");
  }
  Opened opened;
  Result<std::string> baseline = db->QueryText("SELECT value FROM meta WHERE key = 'baseline_ms'");
  if (!baseline) return baseline.error();
  if (baseline->empty()) {
    opened.fresh = true;
    opened.baseline = new_baseline;
    Result<Statement> insert =
        db->Prepare("INSERT INTO meta(key, value) VALUES('schema', ?), ('baseline_ms', ?)");
    if (!insert) return insert.error();
    insert->Bind(1, std::to_string(kSchemaVersion))
        .Bind(2, std::to_string(store::ToMillis(new_baseline)));
    if (Status s = insert->Run(); !s.ok()) return s;
  } else {
    opened.baseline = store::FromMillis(std::stoll(*baseline));
  }
  opened.db = std::move(*db);
  return opened;
}

// Moves a damaged state.db (and its WAL files) aside; returns the last commit as far as it can
// be told: the earlier of the file's time and the one state.lock recorded (a file truncated or
// rewritten later carries a later time than its last commit).
TimePoint MoveAside(const std::string& path, const std::optional<TimePoint>& last_commit,
                    Logger& logger, const Status& why) {
  std::error_code error;
  const auto written = fs::last_write_time(path, error);
  TimePoint last_write = std::chrono::system_clock::now();
  if (!error) {
    last_write =
        std::chrono::time_point_cast<TimePoint::duration>(std::chrono::file_clock::to_sys(written));
  }
  if (last_commit) last_write = std::min(last_write, *last_commit);
  const std::string aside =
      path + ".corrupt-" + std::to_string(store::ToMillis(std::chrono::system_clock::now()));
  const bool existed = fs::exists(path, error);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::rename(path + suffix, aside + suffix, error);
  }
  logger.Log(LogLevel::kError, "state store " + path + " is unusable (" + why.message() + "); " +
                                   (existed ? "moved it to " + aside + " and starting" : "starting") +
                                   " a new one from its last commit: what happened after it is "
                                   "notified again (same message ids)");
  return last_write;
}

// Damage SQLite would take for a new, empty database.
Status LooksDamaged(const std::string& path, const std::optional<store::StateDirLock>& lock) {
  std::error_code error;
  if (fs::exists(path, error)) {
    if (fs::file_size(path, error) == 0 && !error) {
      return Status::Internal("it is empty (0 bytes), which no kfp-eventd writes");
    }
    return Status::Ok();
  }
  if (lock && lock->previous_commit()) {
    return Status::Internal("it is missing, though state.lock shows a kfp-eventd committed to it");
  }
  return Status::Ok();
}

// Owner-only: the outbox holds messages and the Azure DevOps callbacks' tokens.
void RestrictToOwner(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (fs::exists(path + suffix, ignored)) {
      fs::permissions(path + suffix, fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ignored);
    }
  }
}

}  // namespace

Result<std::shared_ptr<StateStore>> OpenStateStore(StateStoreOptions options) {
  if (!options.logger) options.logger = MakeNullLogger();
  std::error_code error;
  if (fs::create_directories(options.dir, error) && !error) {
    fs::permissions(options.dir, fs::perms::owner_all, fs::perm_options::replace, error);
  }
  if (error) {
    return Status::InvalidArgument("state dir " + options.dir +
                                   " cannot be created: " + error.message());
  }
  std::optional<store::StateDirLock> lock;
  if (options.exclusive) {
    Result<store::StateDirLock> taken = store::StateDirLock::Acquire(options.dir);
    if (!taken) return taken.error();
    lock.emplace(std::move(*taken));
  }
  const std::string path = (fs::path(options.dir) / "state.db").string();
  TimePoint baseline = std::chrono::system_clock::now() - options.look_back;
  Status damage = LooksDamaged(path, lock);
  Result<Opened> opened = damage.ok() ? OpenAndMigrate(path, options, baseline) : damage;
  if (!opened && opened.error().code() == ErrorCode::kInternal && options.replace_damaged) {
    // Start from the old store's last commit: a minute of slack covers clock and flush lag.
    const std::optional<TimePoint> last_commit =
        lock ? lock->previous_commit() : std::optional<TimePoint>();
    baseline = MoveAside(path, last_commit, *options.logger, opened.error()) -
               std::chrono::minutes(1);
    opened = OpenAndMigrate(path, options, baseline);
    if (opened) opened->fresh = false;  // a restart that lost its memory, not a first start
  }
  if (!opened) return opened.error();
  RestrictToOwner(path);
  Result<Database> reader = Database::Open(path);
  if (!reader) return reader.error();
  auto store =
      std::make_shared<SqliteStore>(std::move(options), std::move(opened->db), std::move(*reader),
                                    opened->fresh, opened->baseline, std::move(lock), path);
  if (Status s = store->PrepareStatements(); !s.ok()) return s;
  store->ChangedElsewhere();  // remember the starting data_version
  return std::shared_ptr<StateStore>(std::move(store));
}

}  // namespace kfpevents
