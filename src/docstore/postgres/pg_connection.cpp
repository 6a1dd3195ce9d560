#include "docstore/postgres/pg_connection.hpp"

#include <algorithm>
#include <cstdlib>

namespace famigo::docstore::postgres {

std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(result_);
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Connection::Connection(const std::vector<const char*>& keywords,
                       const std::vector<const char*>& values)
    : conn_(PQconnectdbParams(keywords.data(), values.data(), 1)) {
    if (!conn_) throw Unavailable("PostgreSQL: out of memory making a connection");
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn_);
        PQfinish(conn_);
        conn_ = nullptr;
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        throw Unavailable("PostgreSQL: cannot connect: " + message);
    }
    // NOTICEs ("relation ... already exists, skipping") are for people at psql.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
    if (conn_) PQfinish(conn_);
}

const std::string& Connection::prepare(const std::string& sql, int params) {
    auto it = prepared_.find(sql);
    if (it != prepared_.end()) return it->second;
    if (prepared_.size() >= 500) {  // IN lists of many lengths: start over
        PQclear(PQexec(conn_, "DEALLOCATE ALL"));
        prepared_.clear();
    }
    std::string name = "f" + std::to_string(prepared_.size());
    PGresult* made = PQprepare(conn_, name.c_str(), sql.c_str(), params, nullptr);
    if (PQresultStatus(made) != PGRES_COMMAND_OK) fail(made, sql);
    PQclear(made);
    return prepared_.emplace(sql, std::move(name)).first->second;
}

std::string Connection::literal(std::string_view text) {
    char* quoted = PQescapeLiteral(conn_, text.data(), text.size());
    if (!quoted) fail(nullptr, "PQescapeLiteral");
    std::string out(quoted);
    PQfreemem(quoted);
    return out;
}

Result Connection::exec(const std::string& sql, const std::vector<std::string>& params) {
    PGresult* result = nullptr;
    if (params.empty()) {
        result = PQexec(conn_, sql.c_str());
    } else {
        const std::string& name = prepare(sql, int(params.size()));
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) values.push_back(p.c_str());
        result = PQexecPrepared(conn_, name.c_str(), int(values.size()), values.data(), nullptr,
                                nullptr, 0);
    }
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, sql);
    return Result(result);
}

void Connection::fail(PGresult* result, std::string_view sql) {
    std::string state;
    std::string message;
    std::string constraint;
    if (result) {
        if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE)) state = s;
        if (const char* m = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) message = m;
        if (const char* c = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME)) constraint = c;
    }
    if (message.empty()) {
        message = PQerrorMessage(conn_);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
    }
    PQclear(result);
    bool lost = PQstatus(conn_) != CONNECTION_OK;
    // Connection exceptions (08), shutdown and recovery (57P0x), too many
    // connections, a read-only server (a standby after a failover) and a
    // statement cancelled by a timeout all mean: the store is not usable now.
    if (lost || state.starts_with("08") || state.starts_with("57P") || state == "53300" ||
        state == "25006" || state == "57014") {
        broken_ = true;
        throw Unavailable("PostgreSQL: " + message);
    }
    if (state == "23505") {
        last_constraint = constraint;
        throw DuplicateKey("duplicate key: " + message, constraint);
    }
    if (state == "40001" || state == "40P01") throw Retry("PostgreSQL: " + message);
    // Bad text for jsonb: \u0000 in a string, or a number beyond its range.
    if (state.starts_with("22")) throw QueryError("PostgreSQL refused a value: " + message);
    std::string shown(sql.substr(0, 200));
    throw StoreError("PostgreSQL: " + message + " (SQLSTATE " + state + ") in: " + shown);
}

Transaction::~Transaction() {
    if (done_ || db_.broken()) return;
    try {
        db_.exec("ROLLBACK");
    } catch (const StoreError&) {  // the connection is marked broken; the pool drops it
    }
}

Pool::Pool(std::string url, std::chrono::milliseconds timeout, size_t max_connections)
    : url_(std::move(url)),
      connect_timeout_(std::to_string(std::max<long long>(2, timeout.count() / 1000))),
      user_timeout_(std::to_string(timeout.count())),
      max_(max_connections) {}

std::unique_ptr<Connection> Pool::connect() {
    // The URL comes last so that what it sets wins over these defaults.
    // Statements are prepared once per connection; PostgreSQL plans the first
    // five runs of one with its values and may then keep a generic plan (its
    // default plan_cache_mode, auto), which saves the planning: with the
    // expression indexes, planning a catalog query costs more CPU than running
    // it. The plan test checks both kinds of plan for every listing shape.
    std::vector<const char*> keywords = {"connect_timeout", "tcp_user_timeout", "application_name",
                                         "client_encoding", "dbname",           nullptr};
    std::vector<const char*> values = {
        connect_timeout_.c_str(), user_timeout_.c_str(), "famigo", "UTF8", url_.c_str(), nullptr};
    return std::make_unique<Connection>(keywords, values);
}

Pool::Lease Pool::lease() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(db));
        }
        if (open_ < max_) break;
        available_.wait(lock);
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(*this, connect());
    } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
    }
}

void Pool::close_idle() {
    std::vector<std::unique_ptr<Connection>> closing;
    {
        std::lock_guard lock(mutex_);
        closing.swap(idle_);
        open_ -= closing.size();
    }
    available_.notify_all();
}

Pool::Lease::~Lease() {
    if (!db_) return;
    bool broken = db_->broken();
    {
        std::lock_guard lock(pool_->mutex_);
        if (broken) {
            --pool_->open_;
        } else {
            pool_->idle_.push_back(std::move(db_));
        }
    }
    pool_->available_.notify_one();
    if (broken) {
        db_.reset();
        pool_->close_idle();  // they talk to the same lost server
    }
}

}  // namespace famigo::docstore::postgres
