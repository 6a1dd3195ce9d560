// Internal to the SQLite backend: thin RAII wrappers over sqlite3 connections
// and statements, and a pool that lends one connection to one thread at a time
// (each connection is opened in WAL mode with synchronous=FULL and a busy
// timeout, and knows the famigo_match() SQL function).
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "docstore/value.hpp"

namespace famigo::docstore::sqlite {

class Statement {
  public:
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~Statement() {
        if (stmt_) {
            sqlite3_reset(stmt_);
            sqlite3_clear_bindings(stmt_);
        }
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int index, std::string_view text);
    void bind(int index, std::int64_t value);
    void bind_value(int index, const Document& scalar);  // null, bool (0/1), number, string
    void bind_pointer(int index, const void* pointer, const char* type);
    bool step();  // true while a row is ready; throws on error
    std::string_view text(int column) const;
    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    sqlite3_stmt* raw() const { return stmt_; }

  private:
    sqlite3_stmt* stmt_;
};

class Connection {
  public:
    Connection(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout,
               bool read_only = false);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const std::string& sql);
    // A cached prepared statement; reset when the returned Statement goes away.
    Statement prepare(const std::string& sql);
    sqlite3* raw() const { return db_; }
    // Writers of one process queue on this mutex before asking SQLite for the
    // write lock: SQLite's busy handler polls, and a thread that commits in a
    // loop would otherwise starve the others past the busy timeout.
    std::mutex* writer_queue = nullptr;
    // Throws the StoreError that fits the current error (DuplicateKey for unique constraints).
    [[noreturn]] void fail(std::string_view what) const;

  private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// A write transaction taken with BEGIN IMMEDIATE (so the writer lock is held
// from the start, and waiting for it goes through the busy timeout); rolled
// back unless commit() was called.
class WriteTransaction {
  public:
    explicit WriteTransaction(Connection& db);
    ~WriteTransaction();
    void commit();

  private:
    Connection& db_;
    std::unique_lock<std::mutex> queued_;
    bool done_ = false;
};

class Pool {
  public:
    Pool(std::filesystem::path path, std::chrono::milliseconds busy_timeout,
         size_t max_connections = 8);

    class Lease {
      public:
        Lease(Pool& pool, std::unique_ptr<Connection> db) : pool_(&pool), db_(std::move(db)) {}
        Lease(Lease&& other) noexcept = default;
        ~Lease();
        Connection& operator*() const { return *db_; }
        Connection* operator->() const { return db_.get(); }

      private:
        Pool* pool_;
        std::unique_ptr<Connection> db_;
    };
    Lease lease();
    const std::filesystem::path& path() const { return path_; }
    std::chrono::milliseconds busy_timeout() const { return busy_timeout_; }
    // Closes idle connections (before a restore replaces the file's content).
    void close_idle();

  private:
    std::filesystem::path path_;
    std::chrono::milliseconds busy_timeout_;
    size_t max_;
    size_t open_ = 0;
    std::mutex mutex_;
    std::condition_variable available_;
    std::mutex writer_queue_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace famigo::docstore::sqlite
