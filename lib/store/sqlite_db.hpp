// A thin RAII layer over the SQLite C API: a connection, prepared statements, and errors as
// Status values that name what was being done.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::store {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds are 1-based, as in SQLite. Text and blobs are copied.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);

  // Steps once: true with a row to read, false when done; an error for anything else.
  Result<bool> Step();
  // Steps to the end, then resets for the next use.
  Status Run();
  void Reset();

  std::int64_t Int(int column) const;
  std::string Text(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating when missing) the file at `path`.
  static Result<Database> Open(const std::string& path);

  Database() = default;
  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Runs one or more statements that return nothing of interest.
  Status Exec(const std::string& sql);
  Result<Statement> Prepare(const std::string& sql);
  // The first column of the first row, as text ("" when there is no row).
  Result<std::string> QueryText(const std::string& sql);
  sqlite3* get() const { return db_.get(); }
  explicit operator bool() const { return db_ != nullptr; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
};

// "state store: <what>: <SQLite's message> (<code name>)". kInternal for a damaged file
// (corrupt, not a database), kPermanent for a full disk, I/O or permission errors.
Status SqliteError(sqlite3* db, int code, const std::string& what);

}  // namespace kfpevents::store
