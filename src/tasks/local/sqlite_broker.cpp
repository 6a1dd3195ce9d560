#include "tasks/local/sqlite_broker.hpp"

#include <sqlite3.h>

#include <random>
#include <thread>
#include <unordered_map>

namespace famigo::tasks {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tasks(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  queue TEXT NOT NULL,
  args TEXT NOT NULL,
  kwargs TEXT NOT NULL,
  state TEXT NOT NULL,           -- ready, running, done, dead
  due INTEGER NOT NULL,          -- ready: run no earlier; running: lease deadline (ms)
  expires INTEGER,
  retries INTEGER NOT NULL DEFAULT 0,
  max_retries INTEGER NOT NULL,
  idem TEXT UNIQUE,
  keep_result INTEGER NOT NULL DEFAULT 0,
  result_ttl INTEGER NOT NULL DEFAULT 0,
  enqueued INTEGER NOT NULL,
  eta INTEGER,
  token TEXT,
  error TEXT NOT NULL DEFAULT '',
  result TEXT,
  keep_until INTEGER,            -- done: the row (result, idempotency key) lives until then
  lost INTEGER NOT NULL DEFAULT 0 -- deliveries whose lease ran out (the worker died)
);
CREATE INDEX IF NOT EXISTS tasks_due ON tasks(state, queue, due);
CREATE INDEX IF NOT EXISTS tasks_keep ON tasks(keep_until) WHERE state = 'done';
CREATE TABLE IF NOT EXISTS locks(name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kv(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

constexpr const char* kColumns =
    "id, name, queue, args, kwargs, state, due, expires, retries, max_retries, idem, "
    "keep_result, result_ttl, enqueued, eta, error, lost";

std::int64_t now_ms() {
    return to_ms(Clock::now());
}

std::string random_token() {
    return new_task_id();
}

}  // namespace

// One connection behind a mutex: SQLite serializes writers anyway, and the
// work per call is a few indexed statements.
struct SqliteBroker::Db {
    sqlite3* handle = nullptr;
    std::mutex mutex;
    std::unordered_map<std::string, sqlite3_stmt*> cache;

    [[noreturn]] void fail(std::string_view what) const {
        throw BrokerUnavailable("tasks sqlite: " + std::string(what) + ": " +
                                sqlite3_errmsg(handle));
    }
    void exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(handle, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            std::string text = message ? message : "?";
            sqlite3_free(message);
            throw BrokerUnavailable("tasks sqlite: " + text);
        }
    }
    sqlite3_stmt* prepare(const std::string& sql) {
        auto it = cache.find(sql);
        if (it != cache.end()) return it->second;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(handle, sql.c_str(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
            fail("prepare");
        cache.emplace(sql, stmt);
        return stmt;
    }
};

namespace {

// A cached statement with its bindings; reset when it goes out of scope.
class Stmt {
  public:
    Stmt(SqliteBroker::Db& db, const std::string& sql) : db_(db), stmt_(db.prepare(sql)) {}
    ~Stmt() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& bind(int i, std::string_view text) {
        sqlite3_bind_text(stmt_, i, text.data(), int(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    Stmt& bind(int i, std::optional<std::int64_t> v) {
        if (v) return bind(i, *v);
        sqlite3_bind_null(stmt_, i);
        return *this;
    }
    Stmt& bind_null_if_empty(int i, std::string_view text) {
        if (text.empty()) {
            sqlite3_bind_null(stmt_, i);
            return *this;
        }
        return bind(i, text);
    }
    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        db_.fail("step");
    }
    void run() { step(); }
    int step_rc() { return sqlite3_step(stmt_); }
    std::string text(int c) const {
        auto p = sqlite3_column_text(stmt_, c);
        return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    }
    std::int64_t integer(int c) const { return sqlite3_column_int64(stmt_, c); }
    bool null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
    int changes() const { return sqlite3_changes(db_.handle); }

  private:
    SqliteBroker::Db& db_;
    sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE takes the write lock up front, so concurrent fetchers in
// other processes wait in the busy handler instead of failing to upgrade.
class Transaction {
  public:
    explicit Transaction(SqliteBroker::Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!done_) sqlite3_exec(db_.handle, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }

  private:
    SqliteBroker::Db& db_;
    bool done_ = false;
};

// Reads the columns of kColumns, in order.
Task task_from(const Stmt& s) {
    Task t;
    t.id = s.text(0);
    t.name = s.text(1);
    t.queue = s.text(2);
    t.args = Json::parse(s.text(3));
    t.kwargs = Json::parse(s.text(4));
    if (!s.null(7)) t.expires = from_ms(s.integer(7));
    t.retries = int(s.integer(8));
    t.max_retries = int(s.integer(9));
    t.idempotency_key = s.text(10);
    t.keep_result = s.integer(11) != 0;
    t.result_ttl = milliseconds(s.integer(12));
    t.enqueued_at = from_ms(s.integer(13));
    if (!s.null(14)) t.eta = from_ms(s.integer(14));
    t.lost = int(s.integer(16));
    return t;
}

TaskInfo info_from(const Stmt& s, std::int64_t now) {
    Task t = task_from(s);
    TaskInfo info;
    info.id = t.id;
    info.name = t.name;
    info.queue = t.queue;
    info.state = s.text(5);
    if (info.state == "ready" && s.integer(6) > now) info.state = "scheduled";
    info.retries = t.retries;
    info.error = s.text(15);
    info.args = std::move(t.args);
    info.kwargs = std::move(t.kwargs);
    info.enqueued_at = t.enqueued_at;
    return info;
}

std::string select_sql(const std::string& where) {
    return std::string("SELECT ") + kColumns + " FROM tasks WHERE " + where;
}

}  // namespace

SqliteBroker::SqliteBroker(SqliteOptions options) : options_(std::move(options)), db_(new Db) {
    std::error_code ec;
    if (options_.path.has_parent_path())
        std::filesystem::create_directories(options_.path.parent_path(), ec);
    if (sqlite3_open_v2(options_.path.c_str(), &db_->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        std::string message = db_->handle ? sqlite3_errmsg(db_->handle) : "out of memory";
        sqlite3_close(db_->handle);
        db_->handle = nullptr;
        throw BrokerUnavailable("tasks sqlite: cannot open " + options_.path.string() + ": " +
                                message);
    }
    sqlite3_busy_timeout(db_->handle, int(options_.busy_timeout.count()));
    try {
        db_->exec("PRAGMA journal_mode=WAL");
        db_->exec("PRAGMA synchronous=FULL");
        db_->exec(kSchema);
        // Files made before the lost column: add it.
        sqlite3_stmt* probe = nullptr;
        if (sqlite3_prepare_v2(db_->handle, "SELECT lost FROM tasks LIMIT 0", -1, &probe,
                               nullptr) != SQLITE_OK)
            db_->exec("ALTER TABLE tasks ADD COLUMN lost INTEGER NOT NULL DEFAULT 0");
        sqlite3_finalize(probe);
    } catch (...) {
        sqlite3_close(db_->handle);
        db_->handle = nullptr;
        throw;
    }
}

SqliteBroker::~SqliteBroker() {
    for (auto& [sql, stmt] : db_->cache) sqlite3_finalize(stmt);
    sqlite3_close(db_->handle);
}

std::string SqliteBroker::describe() const {
    return "sqlite:" + options_.path.string();
}

std::string SqliteBroker::enqueue(std::string_view name, const Json& args, const Json& kwargs,
                                  const EnqueueOptions& options) {
    check_name("task name", name);
    check_name("queue name", options.queue);
    if (!args.is_array()) throw BadTask("task args must be a JSON array");
    if (!kwargs.is_object()) throw BadTask("task kwargs must be a JSON object");
    std::string id = options.id.empty() ? new_task_id() : options.id;
    std::int64_t now = now_ms();
    std::int64_t due = to_ms(due_time(options, Clock::now()));
    {
        std::lock_guard lock(db_->mutex);
        Transaction tx(*db_);
        if (!options.idempotency_key.empty()) {
            Stmt old(*db_, "SELECT id FROM tasks WHERE idem = ?1");
            old.bind(1, options.idempotency_key);
            if (old.step()) return old.text(0);
        }
        Stmt insert(*db_,
                    "INSERT INTO tasks(id, name, queue, args, kwargs, state, due, expires, "
                    "max_retries, idem, keep_result, result_ttl, enqueued, eta) VALUES "
                    "(?1, ?2, ?3, ?4, ?5, 'ready', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        insert.bind(1, id).bind(2, name).bind(3, options.queue).bind(4, args.dump());
        insert.bind(5, kwargs.dump()).bind(6, due);
        insert.bind(7, options.expires ? std::optional(to_ms(*options.expires)) : std::nullopt);
        insert.bind(8, std::int64_t(options.max_retries));
        insert.bind_null_if_empty(9, options.idempotency_key);
        insert.bind(10, std::int64_t(options.keep_result ? 1 : 0));
        insert.bind(11, std::int64_t(options.result_ttl.count())).bind(12, now);
        insert.bind(13, due > now ? std::optional(due) : std::nullopt);
        if (insert.step_rc() != SQLITE_DONE) {
            if (sqlite3_extended_errcode(db_->handle) == SQLITE_CONSTRAINT_PRIMARYKEY)
                throw BadTask("a task with id " + id + " exists");
            db_->fail("enqueue");
        }
        tx.commit();
    }
    {
        std::lock_guard lock(wake_mutex_);
        ++enqueued_;
    }
    wake_.notify_all();
    return id;
}

std::optional<Lease> SqliteBroker::try_fetch(const std::vector<std::string>& queues,
                                             milliseconds lease_time) {
    std::int64_t now = now_ms();
    std::lock_guard lock(db_->mutex);
    Transaction tx(*db_);
    {
        // Records of finished tasks kept for their result or idempotency key.
        Stmt gc(*db_, "DELETE FROM tasks WHERE state = 'done' AND keep_until <= ?1");
        gc.bind(1, now).run();
    }
    for (const auto& queue : queues) {
        for (;;) {
            // Ready and due, or running with a lease that ran out (its worker
            // died): the first of each by the index, then the earlier of the
            // two. (One query with state IN (...) sorts every due row.)
            auto first_of = [](const char* state) {
                return "SELECT * FROM (" +
                       select_sql(std::string("state = '") + state +
                                  "' AND queue = ?1 AND due <= ?2 ORDER BY due LIMIT 1") +
                       ")";
            };
            Stmt pick(*db_, first_of("ready") + " UNION ALL " + first_of("running") +
                                " ORDER BY due LIMIT 1");
            pick.bind(1, queue).bind(2, now);
            if (!pick.step()) break;
            Task task = task_from(pick);
            // A running row here is one whose lease ran out: its worker died.
            if (pick.text(5) == "running") ++task.lost;
            if (task.expires && to_ms(*task.expires) <= now) {
                Stmt drop(*db_,
                          "UPDATE tasks SET state = 'dead', error = 'expired', token = NULL "
                          "WHERE id = ?1");
                drop.bind(1, task.id).run();
                continue;
            }
            Lease lease{std::move(task), random_token(), from_ms(now + lease_time.count())};
            Stmt take(*db_,
                      "UPDATE tasks SET state = 'running', due = ?2, token = ?3, lost = ?4 "
                      "WHERE id = ?1");
            take.bind(1, lease.task.id).bind(2, to_ms(lease.deadline)).bind(3, lease.token);
            take.bind(4, std::int64_t(lease.task.lost)).run();
            tx.commit();
            return lease;
        }
    }
    tx.commit();
    return std::nullopt;
}

std::optional<Lease> SqliteBroker::fetch(const std::vector<std::string>& queues, milliseconds lease,
                                         milliseconds wait) {
    auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(wake_mutex_);
            seen = enqueued_;
        }
        if (auto got = try_fetch(queues, lease)) return got;
        auto now = std::chrono::steady_clock::now();
        if (now >= until) return std::nullopt;
        // Woken by this process's enqueues; other processes' are seen on the
        // next poll, and so are ETAs and expired leases coming due.
        std::unique_lock lock(wake_mutex_);
        wake_.wait_until(lock, std::min(until, now + options_.poll_interval),
                         [&] { return enqueued_ != seen; });
    }
}

bool SqliteBroker::extend(Lease& lease, milliseconds lease_time) {
    std::int64_t deadline = now_ms() + lease_time.count();
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, "UPDATE tasks SET due = ?3 WHERE id = ?1 AND token = ?2 AND state = 'running'");
    s.bind(1, lease.task.id).bind(2, lease.token).bind(3, deadline).run();
    if (s.changes() == 0) return false;
    lease.deadline = from_ms(deadline);
    return true;
}

void SqliteBroker::ack(const Lease& lease, const Json& result) {
    const Task& t = lease.task;
    std::int64_t now = now_ms();
    std::int64_t keep = 0;
    if (t.keep_result) keep = t.result_ttl.count();
    if (!t.idempotency_key.empty()) keep = std::max(keep, options_.idempotency_ttl.count());
    std::lock_guard lock(db_->mutex);
    if (keep == 0) {
        Stmt s(*db_, "DELETE FROM tasks WHERE id = ?1 AND token = ?2");
        s.bind(1, t.id).bind(2, lease.token).run();
        return;
    }
    Stmt s(*db_,
           "UPDATE tasks SET state = 'done', token = NULL, result = ?3, keep_until = ?4 "
           "WHERE id = ?1 AND token = ?2");
    s.bind(1, t.id).bind(2, lease.token);
    s.bind_null_if_empty(3, t.keep_result ? result.dump() : std::string());
    s.bind(4, now + keep).run();
}

void SqliteBroker::fail(const Lease& lease, std::string_view error,
                        std::optional<TimePoint> retry_at) {
    std::lock_guard lock(db_->mutex);
    if (retry_at) {
        Stmt s(*db_,
               "UPDATE tasks SET state = 'ready', due = ?3, eta = ?3, retries = retries + 1, "
               "error = ?4, token = NULL WHERE id = ?1 AND token = ?2");
        s.bind(1, lease.task.id)
            .bind(2, lease.token)
            .bind(3, to_ms(*retry_at))
            .bind(4, error)
            .run();
        return;
    }
    Stmt s(*db_,
           "UPDATE tasks SET state = 'dead', error = ?3, token = NULL, "
           "result = CASE keep_result WHEN 1 THEN ?4 ELSE NULL END "
           "WHERE id = ?1 AND token = ?2");
    s.bind(1, lease.task.id).bind(2, lease.token).bind(3, error);
    s.bind(4, Json(std::string(error)).dump()).run();
}

void SqliteBroker::release(const Lease& lease) {
    {
        std::lock_guard lock(db_->mutex);
        Stmt s(*db_,
               "UPDATE tasks SET state = 'ready', due = ?3, token = NULL "
               "WHERE id = ?1 AND token = ?2");
        s.bind(1, lease.task.id).bind(2, lease.token).bind(3, now_ms()).run();
    }
    wake_.notify_all();
}

std::optional<TaskResult> SqliteBroker::result(std::string_view id) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_,
           "SELECT state, result FROM tasks WHERE id = ?1 AND keep_result = 1 AND "
           "result IS NOT NULL AND state IN ('done', 'dead') AND "
           "(keep_until IS NULL OR keep_until > ?2)");
    s.bind(1, id).bind(2, now_ms());
    if (!s.step()) return std::nullopt;
    return TaskResult{s.text(0) == "done" ? "SUCCESS" : "FAILURE", Json::parse(s.text(1))};
}

std::optional<TaskInfo> SqliteBroker::show(std::string_view id) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, select_sql("id = ?1"));
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return info_from(s, now_ms());
}

std::vector<TaskInfo> SqliteBroker::list(std::string_view queue, std::size_t limit) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, select_sql("state IN ('ready', 'running') AND (?1 = '' OR queue = ?1) "
                            "ORDER BY enqueued LIMIT ?2"));
    s.bind(1, queue).bind(2, std::int64_t(limit));
    std::vector<TaskInfo> out;
    std::int64_t now = now_ms();
    while (s.step()) out.push_back(info_from(s, now));
    return out;
}

std::vector<TaskInfo> SqliteBroker::dead(std::size_t limit) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, select_sql("state = 'dead' ORDER BY enqueued LIMIT ?1"));
    s.bind(1, std::int64_t(limit));
    std::vector<TaskInfo> out;
    std::int64_t now = now_ms();
    while (s.step()) out.push_back(info_from(s, now));
    return out;
}

bool SqliteBroker::retry_dead(std::string_view id) {
    int changed;
    {
        std::lock_guard lock(db_->mutex);
        Stmt s(*db_,
               "UPDATE tasks SET state = 'ready', due = ?2, retries = 0, lost = 0, "
               "expires = NULL WHERE id = ?1 AND state = 'dead'");
        s.bind(1, id).bind(2, now_ms()).run();
        changed = s.changes();
    }
    wake_.notify_all();
    return changed > 0;
}

std::int64_t SqliteBroker::purge(std::string_view queue) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, "DELETE FROM tasks WHERE queue = ?1 AND state = 'ready'");
    s.bind(1, queue).run();
    return s.changes();
}

std::vector<QueueStats> SqliteBroker::stats() {
    std::int64_t now = now_ms();
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_,
           "SELECT queue, "
           "SUM(state = 'ready' AND due <= ?1), SUM(state = 'ready' AND due > ?1), "
           "SUM(state = 'running'), SUM(state = 'dead'), "
           "MIN(CASE WHEN state = 'ready' AND due <= ?1 THEN MAX(enqueued, COALESCE(eta, 0)) END) "
           "FROM tasks GROUP BY queue ORDER BY queue");
    s.bind(1, now);
    std::vector<QueueStats> out;
    while (s.step()) {
        QueueStats q;
        q.queue = s.text(0);
        q.ready = s.integer(1);
        q.scheduled = s.integer(2);
        q.running = s.integer(3);
        q.dead = s.integer(4);
        if (!s.null(5))
            q.oldest_age_seconds = double(std::max<std::int64_t>(0, now - s.integer(5))) / 1000.0;
        out.push_back(std::move(q));
    }
    return out;
}

void SqliteBroker::ping() {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, "SELECT count(*) FROM tasks WHERE 0");
    s.step();
}

// One statement: the row is written only when the lock is free, ran out or
// is ours, so two schedulers racing for it cannot both see a change.
bool SqliteBroker::try_lock(std::string_view name, std::string_view owner, milliseconds lease) {
    std::int64_t now = now_ms();
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_,
           "INSERT INTO locks(name, owner, expires) VALUES (?1, ?2, ?3) "
           "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires "
           "WHERE locks.owner = excluded.owner OR locks.expires <= ?4");
    s.bind(1, name).bind(2, owner).bind(3, now + lease.count()).bind(4, now).run();
    return s.changes() > 0;
}

void SqliteBroker::unlock(std::string_view name, std::string_view owner) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, "DELETE FROM locks WHERE name = ?1 AND owner = ?2");
    s.bind(1, name).bind(2, owner).run();
}

std::optional<std::string> SqliteBroker::get_value(std::string_view key) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_, "SELECT value FROM kv WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void SqliteBroker::set_value(std::string_view key, std::string_view value) {
    std::lock_guard lock(db_->mutex);
    Stmt s(*db_,
           "INSERT INTO kv(key, value) VALUES (?1, ?2) "
           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value).run();
}

}  // namespace famigo::tasks
