// Internal to the PostgreSQL backend: RAII wrappers over libpq connections and
// results, and a pool that lends one connection to one thread at a time.
// Statements are prepared once per connection and cached by their SQL text;
// parameters travel as text (values as JSON, cast to jsonb in the SQL).
// Errors become the store's: unique violations DuplicateKey, a lost or
// unreachable server Unavailable (and the pool forgets its idle connections,
// which point at the same server), serialization failures and deadlocks
// Retry, which the collection retries.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "docstore/errors.hpp"

namespace famigo::docstore::postgres {

// A conflict the server resolved by aborting one side: run the transaction again.
class Retry : public StoreError {
  public:
    using StoreError::StoreError;
};

class Result {
  public:
    explicit Result(PGresult* result = nullptr) : result_(result) {}
    ~Result() { PQclear(result_); }
    Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
    Result& operator=(Result&& other) noexcept {
        std::swap(result_, other.result_);
        return *this;
    }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;

    int rows() const { return PQntuples(result_); }
    std::string_view text(int row, int column) const {
        return {PQgetvalue(result_, row, column),
                static_cast<size_t>(PQgetlength(result_, row, column))};
    }
    bool null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
    std::int64_t affected() const;  // rows an INSERT/UPDATE/DELETE touched

  private:
    PGresult* result_;
};

class Connection {
  public:
    // Connects; throws Unavailable when no server (of the wanted kind) answers.
    Connection(const std::vector<const char*>& keywords, const std::vector<const char*>& values);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one statement (prepared and cached when it has parameters).
    Result exec(const std::string& sql, const std::vector<std::string>& params = {});
    // The name `sql` is prepared under on this connection (prepared now if new).
    const std::string& prepare(const std::string& sql, int params);
    // `text` as an SQL string literal, quoted for this connection.
    std::string literal(std::string_view text);
    bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
    // The server's idea of a constraint violated last (for DuplicateKey's index).
    std::string last_constraint;

  private:
    [[noreturn]] void fail(PGresult* result, std::string_view sql);
    PGconn* conn_ = nullptr;
    bool broken_ = false;
    std::unordered_map<std::string, std::string> prepared_;
};

// A transaction on one connection, rolled back unless commit() was called.
class Transaction {
  public:
    explicit Transaction(Connection& db) : db_(db) { db_.exec("BEGIN"); }
    ~Transaction();
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

  private:
    Connection& db_;
    bool done_ = false;
};

class Pool {
  public:
    // `url`: the store.url (libpq reads multi-host URLs and target_session_attrs);
    // `timeout`: connect timeout and TCP user timeout unless the URL sets them.
    Pool(std::string url, std::chrono::milliseconds timeout, size_t max_connections = 16);

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
    // Closes idle connections (their server went away, or a failover happened).
    void close_idle();
    const std::string& url() const { return url_; }

  private:
    std::unique_ptr<Connection> connect();

    std::string url_;
    std::string connect_timeout_, user_timeout_;
    size_t max_;
    size_t open_ = 0;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace famigo::docstore::postgres
