#include "docstore/sqlite/connection.hpp"

#include "docstore/errors.hpp"
#include "docstore/filter.hpp"

namespace famigo::docstore::sqlite {
namespace {

// famigo_match(doc, filter): the in-process matcher, for the conditions that
// SQL expressions cannot answer exactly. The filter comes as a bound pointer,
// so it is never serialized or parsed per row.
void match_function(sqlite3_context* context, int, sqlite3_value** argv) {
    auto* filter = static_cast<const Filter*>(sqlite3_value_pointer(argv[1], "famigo_filter"));
    const unsigned char* text = sqlite3_value_text(argv[0]);
    if (!filter || !text) {
        sqlite3_result_error(context, "famigo_match: bad arguments", -1);
        return;
    }
    try {
        Document doc = Document::parse(reinterpret_cast<const char*>(text));
        sqlite3_result_int(context, matches(*filter, doc) ? 1 : 0);
    } catch (const std::exception& e) {
        sqlite3_result_error(context, e.what(), -1);
    }
}

}  // namespace

void Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
}

void Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
}

void Statement::bind_value(int index, const Document& v) {
    if (v.is_null())
        sqlite3_bind_null(stmt_, index);
    else if (v.is_boolean())
        sqlite3_bind_int64(stmt_, index, v.get<bool>() ? 1 : 0);
    else if (v.is_number_float())
        sqlite3_bind_double(stmt_, index, v.get<double>());
    else if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
        sqlite3_bind_double(stmt_, index, v.get<double>());
    else if (v.is_number())
        sqlite3_bind_int64(stmt_, index, v.get<std::int64_t>());
    else if (v.is_string())
        bind(index, v.get_ref<const std::string&>());
    else
        bind(index, v.dump());
}

void Statement::bind_pointer(int index, const void* pointer, const char* type) {
    sqlite3_bind_pointer(stmt_, index, const_cast<void*>(pointer), type, nullptr);
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(stmt_);
    int code = sqlite3_extended_errcode(db);
    std::string message = sqlite3_errmsg(db);
    sqlite3_reset(stmt_);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        std::string index =
            message.find("c_") != std::string::npos && message.find(".id") != std::string::npos
                ? "_id"
                : "";
        if (auto at = message.find("index '"); at != std::string::npos) {
            index = message.substr(at + 7);
            index.resize(index.find('\''));
            if (auto sep = index.find("__"); sep != std::string::npos)
                index = index.substr(sep + 2);
        }
        throw DuplicateKey(
            "duplicate key" + (index.empty() ? "" : " for index '" + index + "'") + ": " + message,
            index);
    }
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        throw Unavailable("sqlite: database is busy: " + message +
                          " (in: " + std::string(sqlite3_sql(stmt_)).substr(0, 80) + ")");
    if (code == SQLITE_ERROR) throw QueryError("sqlite: " + message);
    throw StoreError("sqlite: " + message);
}

std::string_view Statement::text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return text ? std::string_view(reinterpret_cast<const char*>(text), size_t(size))
                : std::string_view();
}

Connection::Connection(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout,
                       bool read_only) {
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    if (!read_only && path.has_parent_path()) {
        std::error_code ignored;
        std::filesystem::create_directories(path.parent_path(), ignored);
    }
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Unavailable("sqlite: cannot open '" + path.string() + "': " + message);
    }
    sqlite3_busy_timeout(db_, int(busy_timeout.count()));
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_create_function_v2(db_, "famigo_match", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               match_function, nullptr, nullptr, nullptr);
    if (!read_only) {
        // WAL lets readers run beside the one writer; FULL makes an acknowledged
        // commit survive power loss, not only a crash of this process.
        // (Switching the mode takes a lock that the busy timeout does not wait
        // for, so only the first connection to a new file does it.)
        bool wal = false;
        {
            Statement mode = prepare("PRAGMA journal_mode");
            wal = mode.step() && mode.text(0) == "wal";
        }
        if (!wal) exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
    }
}

Connection::~Connection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

void Connection::exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        int code = sqlite3_extended_errcode(db_);
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
            throw Unavailable("sqlite: database is busy: " + message +
                              " (in: " + sql.substr(0, 80) + ")");
        if (code == SQLITE_CONSTRAINT_UNIQUE) throw DuplicateKey("duplicate key: " + message);
        throw StoreError("sqlite: " + message + " (in: " + sql.substr(0, 120) + ")");
    }
}

Statement Connection::prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return Statement(it->second);
    if (statements_.size() > 200) {  // filters of many shapes: keep the cache bounded
        for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
        statements_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
        throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db_) +
                         " (in: " + sql.substr(0, 200) + ")");
    statements_.emplace(sql, stmt);
    return Statement(stmt);
}

void Connection::fail(std::string_view what) const {
    throw StoreError("sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db_));
}

WriteTransaction::WriteTransaction(Connection& db) : db_(db) {
    if (db_.writer_queue) queued_ = std::unique_lock(*db_.writer_queue);
    db_.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // nothing more to do: the connection rolls back on close
        }
    }
}

void WriteTransaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
    if (queued_.owns_lock()) queued_.unlock();
}

Pool::Pool(std::filesystem::path path, std::chrono::milliseconds busy_timeout,
           size_t max_connections)
    : path_(std::move(path)), busy_timeout_(busy_timeout), max_(max_connections) {}

Pool::Lease Pool::lease() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
        auto db = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(db));
    }
    ++open_;
    lock.unlock();
    try {
        auto db = std::make_unique<Connection>(path_, busy_timeout_);
        db->writer_queue = &writer_queue_;
        return Lease(*this, std::move(db));
    } catch (...) {
        std::lock_guard again(mutex_);
        --open_;
        available_.notify_one();
        throw;
    }
}

Pool::Lease::~Lease() {
    if (!db_) return;
    std::lock_guard lock(pool_->mutex_);
    pool_->idle_.push_back(std::move(db_));
    pool_->available_.notify_one();
}

void Pool::close_idle() {
    std::lock_guard lock(mutex_);
    open_ -= idle_.size();
    idle_.clear();
    available_.notify_all();
}

}  // namespace famigo::docstore::sqlite
