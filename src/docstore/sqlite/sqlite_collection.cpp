#include <algorithm>

#include "docstore/query_tools.hpp"
#include "docstore/sql/sql_documents.hpp"
#include "docstore/sqlite/sql_plan.hpp"
#include "docstore/sqlite/sqlite_store.hpp"

namespace famigo::docstore::sqlite {
namespace {

void bind_plan(Statement& stmt, const QueryPlan& plan, int& at) {
    for (const auto& v : plan.parameters) stmt.bind_value(at++, v);
    if (plan.uses_matcher) stmt.bind_pointer(at++, &plan.residual, "famigo_filter");
}

}  // namespace

SqliteCollection::SqliteCollection(SqliteStore& store, std::string name)
    : store_(store), name_(std::move(name)), table_("c_" + name_) {
    auto db = store_.pool().lease();
    ensure_table(*db);
}

void SqliteCollection::ensure_table(Connection& db) {
    WriteTransaction tx(db);
    db.exec("CREATE TABLE IF NOT EXISTS \"" + table_ +
            "\" (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)");
    auto stmt = db.prepare("INSERT OR IGNORE INTO famigo_collections(name) VALUES (?)");
    stmt.bind(1, name_);
    stmt.step();
    tx.commit();
}

std::set<std::string> SqliteCollection::indexed_paths(Connection& db) {
    std::int64_t version;
    {
        auto stmt = db.prepare("PRAGMA schema_version");
        stmt.step();
        version = stmt.integer(0);
    }
    std::lock_guard lock(mutex_);
    if (version == schema_seen_) return indexed_;
    std::vector<IndexSpec> specs;
    auto stmt = db.prepare("SELECT spec FROM famigo_indexes WHERE collection = ? ORDER BY rowid");
    stmt.bind(1, name_);
    while (stmt.step()) specs.push_back(index_spec_from_json(Document::parse(stmt.text(0))));
    indexed_.clear();
    for (const auto& spec : specs)
        for (const auto& key : spec.keys) indexed_.insert(key.path);
    specs_ = std::move(specs);
    schema_seen_ = version;
    return indexed_;
}

void SqliteCollection::check_indexed_scalars(const Document& doc,
                                             const std::set<std::string>& paths) const {
    sql::check_indexed_scalars(doc, paths, name_, "SQLite");
}

std::string SqliteCollection::serialize(const Document& doc) const {
    return sql::serialize(doc);
}

std::string SqliteCollection::insert_one(Connection& db, Document& doc,
                                         const std::set<std::string>& paths) {
    std::string id = prepare_document_id(doc);
    check_indexed_scalars(doc, paths);
    auto stmt = db.prepare("INSERT INTO \"" + table_ + "\" (id, doc) VALUES (?, ?)");
    stmt.bind(1, id);
    stmt.bind(2, serialize(doc));
    stmt.step();
    return id;
}

std::string SqliteCollection::insert(Document doc) {
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    std::string id = insert_one(*db, doc, indexed_paths(*db));
    tx.commit();
    return id;
}

std::vector<std::string> SqliteCollection::insert_many(std::vector<Document> docs) {
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    auto paths = indexed_paths(*db);
    std::vector<std::string> ids;
    ids.reserve(docs.size());
    for (auto& doc : docs) ids.push_back(insert_one(*db, doc, paths));
    tx.commit();
    return ids;
}

void SqliteCollection::scan(const Filter& filter, const FindOptions& options,
                            const std::function<bool(Document&&)>& each) {
    check_projection(options.projection);
    if (options.skip < 0) throw QueryError("skip must not be negative");
    std::int64_t limit = options.limit && *options.limit > 0 ? *options.limit : -1;
    auto db = store_.pool().lease();
    QueryPlan plan = plan_query(filter, options.sort, indexed_paths(*db));
    std::string sql = "SELECT doc FROM \"" + table_ + "\" WHERE " + plan.where;
    if (plan.sorted_in_sql) {
        if (!plan.order_by.empty()) sql += " ORDER BY " + plan.order_by;
        if (limit >= 0 || options.skip > 0)
            sql += " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(options.skip);
    }
    auto stmt = db->prepare(sql);
    int at = 1;
    bind_plan(stmt, plan, at);
    if (plan.sorted_in_sql) {
        while (stmt.step())
            if (!each(apply_projection(Document::parse(stmt.text(0)), options.projection))) return;
        return;
    }
    std::vector<Document> docs;
    while (stmt.step()) docs.push_back(Document::parse(stmt.text(0)));
    sort_documents(docs, options.sort);
    auto begin = std::min<size_t>(size_t(options.skip), docs.size());
    auto end = limit < 0 ? docs.size() : std::min(docs.size(), begin + size_t(limit));
    for (size_t i = begin; i < end; ++i)
        if (!each(apply_projection(std::move(docs[i]), options.projection))) return;
}

std::int64_t SqliteCollection::count(const Filter& filter) {
    auto db = store_.pool().lease();
    QueryPlan plan = plan_query(filter, {}, indexed_paths(*db));
    auto stmt = db->prepare("SELECT count(*) FROM \"" + table_ + "\" WHERE " + plan.where);
    int at = 1;
    bind_plan(stmt, plan, at);
    stmt.step();
    return stmt.integer(0);
}

std::vector<SqliteCollection::Match> SqliteCollection::matching(Connection& db,
                                                                const Filter& filter,
                                                                const std::vector<SortKey>& sort,
                                                                std::optional<std::int64_t> limit) {
    QueryPlan plan = plan_query(filter, sort, indexed_paths(db));
    std::string sql = "SELECT rowid, doc FROM \"" + table_ + "\" WHERE " + plan.where;
    if (plan.sorted_in_sql) {
        if (!plan.order_by.empty()) sql += " ORDER BY " + plan.order_by;
        if (limit) sql += " LIMIT " + std::to_string(*limit);
    }
    auto stmt = db.prepare(sql);
    int at = 1;
    bind_plan(stmt, plan, at);
    std::vector<Match> out;
    while (stmt.step()) out.push_back({stmt.integer(0), Document::parse(stmt.text(1))});
    if (!plan.sorted_in_sql) {
        std::stable_sort(out.begin(), out.end(), [&](const Match& a, const Match& b) {
            return sorts_before(a.doc, b.doc, sort);
        });
        if (limit && out.size() > size_t(*limit)) out.resize(size_t(*limit));
    }
    return out;
}

UpdateResult SqliteCollection::update(const Filter& filter, const Update& update,
                                      UpdateOptions options) {
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    auto paths = indexed_paths(*db);
    UpdateResult result;
    auto matches =
        matching(*db, filter, {}, options.multi ? std::nullopt : std::optional<std::int64_t>(1));
    for (auto& match : matches) {
        ++result.matched;
        Document after = match.doc;
        apply_update(update, after);
        if (after == match.doc) continue;
        check_indexed_scalars(after, paths);
        auto stmt = db->prepare("UPDATE \"" + table_ + "\" SET doc = ? WHERE rowid = ?");
        stmt.bind(1, serialize(after));
        stmt.bind(2, match.rowid);
        stmt.step();
        ++result.modified;
    }
    if (matches.empty() && options.upsert) {
        Document doc = upsert_seed(filter);
        apply_update(update, doc);
        result.upserted_id = insert_one(*db, doc, paths);
    }
    tx.commit();
    return result;
}

std::optional<Document> SqliteCollection::find_and_modify(const Filter& filter,
                                                          const Update& update,
                                                          const FindAndModifyOptions& options) {
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    auto paths = indexed_paths(*db);
    auto matches = matching(*db, filter, options.sort, 1);
    std::optional<Document> out;
    if (!matches.empty()) {
        Document after = matches.front().doc;
        apply_update(update, after);
        check_indexed_scalars(after, paths);
        auto stmt = db->prepare("UPDATE \"" + table_ + "\" SET doc = ? WHERE rowid = ?");
        stmt.bind(1, serialize(after));
        stmt.bind(2, matches.front().rowid);
        stmt.step();
        out = options.return_new ? std::move(after) : std::move(matches.front().doc);
    } else if (options.upsert) {
        Document doc = upsert_seed(filter);
        apply_update(update, doc);
        insert_one(*db, doc, paths);
        if (options.return_new) out = std::move(doc);
    }
    tx.commit();
    return out;
}

bool SqliteCollection::replace(const std::string& id, Document doc) {
    if (!doc.is_object()) throw QueryError("a document must be a JSON object");
    doc["_id"] = id;
    check_document_keys(doc);
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    check_indexed_scalars(doc, indexed_paths(*db));
    auto stmt = db->prepare("UPDATE \"" + table_ + "\" SET doc = ? WHERE id = ?");
    stmt.bind(1, serialize(doc));
    stmt.bind(2, id);
    stmt.step();
    bool found = sqlite3_changes(db->raw()) > 0;
    tx.commit();
    return found;
}

std::int64_t SqliteCollection::remove(const Filter& filter) {
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    QueryPlan plan = plan_query(filter, {}, indexed_paths(*db));
    auto stmt = db->prepare("DELETE FROM \"" + table_ + "\" WHERE " + plan.where);
    int at = 1;
    bind_plan(stmt, plan, at);
    stmt.step();
    std::int64_t removed = sqlite3_changes(db->raw());
    tx.commit();
    return removed;
}

void SqliteCollection::create_index(const IndexSpec& spec) {
    sql::check_index_keys(spec, "SQLite");
    std::string name = index_name(spec);
    auto db = store_.pool().lease();
    WriteTransaction tx(*db);
    indexed_paths(*db);
    {
        std::lock_guard lock(mutex_);
        for (const auto& existing : specs_) {
            if (existing.name != name) continue;
            IndexSpec wanted = spec;
            wanted.name = name;
            if (existing == wanted) return;  // already there: nothing to do
            throw QueryError("index '" + name + "' already exists with other keys or options");
        }
    }
    std::set<std::string> paths;
    for (const auto& key : spec.keys) paths.insert(key.path);
    {
        auto stmt = db->prepare("SELECT doc FROM \"" + table_ + "\"");
        while (stmt.step()) check_indexed_scalars(Document::parse(stmt.text(0)), paths);
    }
    db->exec(create_index_sql(table_, sql::index_sql_name(name_, name), spec));
    IndexSpec stored = spec;
    stored.name = name;
    auto stmt = db->prepare("INSERT INTO famigo_indexes(collection, name, spec) VALUES (?, ?, ?)");
    stmt.bind(1, name_);
    stmt.bind(2, name);
    stmt.bind(3, index_spec_json(stored).dump());
    stmt.step();
    tx.commit();
}

std::vector<IndexSpec> SqliteCollection::indexes() {
    auto db = store_.pool().lease();
    indexed_paths(*db);
    std::lock_guard lock(mutex_);
    auto out = specs_;
    std::sort(out.begin(), out.end(),
              [](const IndexSpec& a, const IndexSpec& b) { return a.name < b.name; });
    return out;
}

void SqliteCollection::drop() {
    auto db = store_.pool().lease();
    {
        WriteTransaction tx(*db);
        db->exec("DROP TABLE IF EXISTS \"" + table_ + "\"");
        auto stmt = db->prepare("DELETE FROM famigo_indexes WHERE collection = ?");
        stmt.bind(1, name_);
        stmt.step();
        tx.commit();
    }
    ensure_table(*db);
}

}  // namespace famigo::docstore::sqlite
