#include <algorithm>

#include "docstore/postgres/pg_store.hpp"
#include "docstore/query_tools.hpp"
#include "docstore/sql/sql_documents.hpp"

namespace famigo::docstore::postgres {
namespace {

constexpr const char* kPgBackend = "PostgreSQL";
// Rows per multi-row INSERT of insert_many (two parameters each).
constexpr size_t kPgInsertBatch = 200;
// A collection is analyzed again once this process has inserted as many rows
// as the table's statistics knew of (at least this many): about log2(N)
// ANALYZEs while a table grows to N rows.
constexpr std::int64_t kPgAnalyzeMinGrowth = 1000;

std::string pg_limit_clause(std::optional<std::int64_t> limit, std::int64_t skip) {
    std::string out;
    if (limit) out += " LIMIT " + std::to_string(*limit);
    if (skip > 0) out += " OFFSET " + std::to_string(skip);
    return out;
}

}  // namespace

PgCollection::PgCollection(PgStore& store, std::string name)
    : store_(store), name_(std::move(name)), table_("c_" + name_) {
    auto db = store_.pool().lease();
    ensure_table(*db);
}

void PgCollection::ensure_table(Connection& db) {
    Transaction tx(db);
    db.exec("SELECT pg_advisory_xact_lock(hashtext('famigo-ddl'))");
    db.exec("CREATE TABLE IF NOT EXISTS \"" + table_ +
            "\" (id text COLLATE \"C\" PRIMARY KEY, doc jsonb NOT NULL)");
    db.exec("INSERT INTO famigo_collections(name) VALUES ($1) ON CONFLICT DO NOTHING", {name_});
    tx.commit();
}

void PgCollection::lock_collection(Connection& db) {
    db.exec("SELECT pg_advisory_xact_lock(hashtext($1))", {"famigo-collection:" + name_});
}

template <typename Work>
auto PgCollection::retrying(Work&& work) -> decltype(work()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return work();
        } catch (const Retry&) {
            if (attempt >= 5) throw;
        } catch (const DuplicateKey& e) {
            rethrow_duplicate(e);
        }
    }
}

void PgCollection::rethrow_duplicate(const DuplicateKey& e) {
    const std::string& constraint = e.index();
    if (constraint == table_ + "_pkey") throw DuplicateKey(e.what(), "_id_");
    std::lock_guard lock(mutex_);
    for (const auto& spec : specs_)
        if (sql::index_sql_name(name_, spec.name) == constraint)
            throw DuplicateKey(e.what(), spec.name);
    throw e;
}

std::set<std::string> PgCollection::indexed_paths(Connection& db, bool reload) {
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        if (!reload && schema_valid_ && now - schema_read_ < std::chrono::seconds(1))
            return indexed_;
    }
    auto result = db.exec(
        "SELECT spec::text FROM famigo_indexes WHERE collection = $1 ORDER BY name", {name_});
    std::vector<IndexSpec> specs;
    for (int i = 0; i < result.rows(); ++i)
        specs.push_back(index_spec_from_json(Document::parse(result.text(i, 0))));
    std::lock_guard lock(mutex_);
    indexed_.clear();
    for (const auto& spec : specs)
        for (const auto& key : spec.keys) indexed_.insert(key.path);
    specs_ = std::move(specs);
    schema_read_ = now;
    schema_valid_ = true;
    return indexed_;
}

void PgCollection::forget_schema() {
    std::lock_guard lock(mutex_);
    schema_valid_ = false;
}

std::string PgCollection::insert_one(Connection& db, Document& doc,
                                     const std::set<std::string>& paths, bool on_conflict_nothing) {
    std::string id = prepare_document_id(doc);
    sql::check_indexed_scalars(doc, paths, name_, kPgBackend);
    std::string statement = "INSERT INTO \"" + table_ + "\" (id, doc) VALUES ($1, $2::jsonb)";
    if (on_conflict_nothing) {
        // An upsert whose filter named the _id: a row made meanwhile is a duplicate.
        statement += " ON CONFLICT (id) DO NOTHING";
        if (db.exec(statement, {id, sql::serialize(doc)}).affected() == 0)
            throw DuplicateKey("duplicate key: _id '" + id + "' exists", table_ + "_pkey");
        return id;
    }
    db.exec(statement, {id, sql::serialize(doc)});
    return id;
}

std::string PgCollection::insert(Document doc) {
    return retrying([&] {
        auto db = store_.pool().lease();
        Document copy = doc;
        std::string id = insert_one(*db, copy, indexed_paths(*db));
        analyze_after_growth(*db, 1);
        return id;
    });
}

void PgCollection::analyze_after_growth(Connection& db, std::int64_t inserted) {
    {
        std::lock_guard lock(mutex_);
        inserted_since_analyze_ += inserted;
        if (inserted_since_analyze_ < next_growth_check_) return;
    }
    // Autovacuum analyzes a grown table within a minute or so, but a page
    // served before that is planned without statistics on the index
    // expressions: an import followed by the site cost 100x the CPU per
    // page (a bitmap scan of every published app, then a sort).
    try {
        auto found = db.exec("SELECT reltuples::bigint FROM pg_class WHERE oid = $1::regclass",
                             {"\"" + table_ + "\""});
        std::int64_t known =
            found.rows() ? std::strtoll(std::string(found.text(0, 0)).c_str(), nullptr, 10) : 0;
        known = std::max<std::int64_t>(0, known);  // -1: never analyzed
        std::int64_t grown = 0;
        {
            std::lock_guard lock(mutex_);
            grown = inserted_since_analyze_;
            next_growth_check_ =
                std::max(kPgAnalyzeMinGrowth, grown >= known ? known + grown : known);
            if (grown < known) return;
            inserted_since_analyze_ = 0;
        }
        db.exec("ANALYZE \"" + table_ + "\"");
    } catch (const StoreError&) {
        // The rows are in and acknowledged; autovacuum will gather the statistics.
    }
}

std::vector<std::string> PgCollection::insert_many(std::vector<Document> docs) {
    return retrying([&] {
        auto db = store_.pool().lease();
        auto paths = indexed_paths(*db);
        std::vector<std::string> ids;
        ids.reserve(docs.size());
        Transaction tx(*db);
        for (size_t begin = 0; begin < docs.size(); begin += kPgInsertBatch) {
            size_t end = std::min(docs.size(), begin + kPgInsertBatch);
            std::string statement = "INSERT INTO \"" + table_ + "\" (id, doc) VALUES ";
            std::vector<std::string> params;
            for (size_t i = begin; i < end; ++i) {
                Document doc = docs[i];
                ids.push_back(prepare_document_id(doc));
                sql::check_indexed_scalars(doc, paths, name_, kPgBackend);
                statement += (i == begin ? "($" : ", ($") + std::to_string(params.size() + 1) +
                             ", $" + std::to_string(params.size() + 2) + "::jsonb)";
                params.push_back(ids.back());
                params.push_back(sql::serialize(doc));
            }
            db->exec(statement, params);
        }
        tx.commit();
        analyze_after_growth(*db, std::int64_t(ids.size()));
        return ids;
    });
}

void PgCollection::scan(const Filter& filter, const FindOptions& options,
                        const std::function<bool(Document&&)>& each) {
    check_projection(options.projection);
    if (options.skip < 0) throw QueryError("skip must not be negative");
    std::optional<std::int64_t> limit;
    if (options.limit && *options.limit > 0) limit = *options.limit;
    auto db = store_.pool().lease();
    auto plan = sql::plan_query(store_.dialect(), filter, options.sort, indexed_paths(*db));
    std::string statement = "SELECT doc FROM \"" + table_ + "\" WHERE " + plan.where;
    bool paged_in_sql = plan.sorted_in_sql && !plan.match_in_process;
    if (plan.sorted_in_sql && !plan.order_by.empty()) statement += " ORDER BY " + plan.order_by;
    if (paged_in_sql) statement += pg_limit_clause(limit, options.skip);
    auto result = db->exec(statement, plan_params(plan));
    std::vector<Document> docs;
    std::int64_t skipped = 0, given = 0;
    for (int i = 0; i < result.rows(); ++i) {
        Document doc = Document::parse(result.text(i, 0));
        if (plan.match_in_process && !matches(plan.residual, doc)) continue;
        if (!plan.sorted_in_sql) {
            docs.push_back(std::move(doc));
            continue;
        }
        if (!paged_in_sql && skipped < options.skip) {
            ++skipped;
            continue;
        }
        if (!paged_in_sql && limit && given >= *limit) return;
        ++given;
        if (!each(apply_projection(std::move(doc), options.projection))) return;
    }
    if (plan.sorted_in_sql) return;
    sort_documents(docs, options.sort);
    auto begin = std::min<size_t>(size_t(options.skip), docs.size());
    auto end = !limit ? docs.size() : std::min(docs.size(), begin + size_t(*limit));
    for (size_t i = begin; i < end; ++i)
        if (!each(apply_projection(std::move(docs[i]), options.projection))) return;
}

std::string PgCollection::explain(const Filter& filter, const FindOptions& options, PlanKind kind) {
    auto db = store_.pool().lease();
    auto plan = sql::plan_query(store_.dialect(), filter, options.sort, indexed_paths(*db, true));
    std::string statement = "SELECT doc FROM \"" + table_ + "\" WHERE " + plan.where;
    if (plan.sorted_in_sql && !plan.order_by.empty()) statement += " ORDER BY " + plan.order_by;
    if (plan.sorted_in_sql && !plan.match_in_process)
        statement += pg_limit_clause(options.limit, options.skip);
    auto params = plan_params(plan);
    Result result;
    if (kind == PlanKind::Generic && !params.empty()) {
        // The plan scan()'s prepared statement gets once PostgreSQL keeps a
        // generic one (made without the parameters' values).
        Transaction tx(*db);
        db->exec("SET LOCAL plan_cache_mode = force_generic_plan");
        std::string run = "EXPLAIN EXECUTE " + db->prepare(statement, int(params.size())) + "(";
        for (size_t i = 0; i < params.size(); ++i) run += (i ? ", " : "") + db->literal(params[i]);
        result = db->exec(run + ")");
    } else {
        result = db->exec("EXPLAIN " + statement, params);
    }
    std::string out;
    for (int i = 0; i < result.rows(); ++i) out += std::string(result.text(i, 0)) + "\n";
    if (plan.match_in_process) out += "(in process: " + to_mongo(plan.residual).dump() + ")\n";
    if (!plan.sorted_in_sql) out += "(sorted in process)\n";
    return out;
}

std::int64_t PgCollection::count(const Filter& filter) {
    auto db = store_.pool().lease();
    auto plan = sql::plan_query(store_.dialect(), filter, {}, indexed_paths(*db));
    if (!plan.match_in_process) {
        auto result = db->exec("SELECT count(*) FROM \"" + table_ + "\" WHERE " + plan.where,
                               plan_params(plan));
        return std::strtoll(std::string(result.text(0, 0)).c_str(), nullptr, 10);
    }
    auto result =
        db->exec("SELECT doc FROM \"" + table_ + "\" WHERE " + plan.where, plan_params(plan));
    std::int64_t n = 0;
    for (int i = 0; i < result.rows(); ++i)
        if (matches(plan.residual, Document::parse(result.text(i, 0)))) ++n;
    return n;
}

std::vector<PgCollection::Row> PgCollection::locked_matches(Connection& db, const Filter& filter,
                                                            const std::vector<SortKey>& sort,
                                                            std::optional<std::int64_t> limit) {
    auto plan = sql::plan_query(store_.dialect(), filter, sort, indexed_paths(db));
    std::string statement = "SELECT id, doc FROM \"" + table_ + "\" WHERE " + plan.where;
    // Rows are locked in one order (the sort's, else the id's) so that two
    // writers over the same rows queue rather than deadlock.
    if (plan.sorted_in_sql && !plan.order_by.empty())
        statement += " ORDER BY " + plan.order_by + ", id";
    else
        statement += " ORDER BY id";
    if (plan.sorted_in_sql && !plan.match_in_process && limit)
        statement += " LIMIT " + std::to_string(*limit);
    statement += " FOR UPDATE";
    auto result = db.exec(statement, plan_params(plan));
    std::vector<Row> out;
    for (int i = 0; i < result.rows(); ++i) {
        Row row{std::string(result.text(i, 0)), Document::parse(result.text(i, 1))};
        if (plan.match_in_process && !matches(plan.residual, row.doc)) continue;
        out.push_back(std::move(row));
        if (plan.sorted_in_sql && limit && out.size() >= size_t(*limit)) break;
    }
    if (!plan.sorted_in_sql) {
        std::stable_sort(out.begin(), out.end(), [&](const Row& a, const Row& b) {
            return sorts_before(a.doc, b.doc, sort);
        });
        if (limit && out.size() > size_t(*limit)) out.resize(size_t(*limit));
    }
    return out;
}

void PgCollection::write_doc(Connection& db, const std::string& id, const Document& doc) {
    db.exec("UPDATE \"" + table_ + "\" SET doc = $2::jsonb WHERE id = $1",
            {id, sql::serialize(doc)});
}

UpdateResult PgCollection::update(const Filter& filter, const Update& update,
                                  UpdateOptions options) {
    return retrying([&] {
        auto db = store_.pool().lease();
        auto paths = indexed_paths(*db);
        Transaction tx(*db);
        std::optional<std::int64_t> limit;
        if (!options.multi) limit = 1;
        UpdateResult result;
        auto rows = locked_matches(*db, filter, {}, limit);
        if (rows.empty() && options.upsert) {
            lock_collection(*db);  // upserts of one collection look and insert one at a time
            rows = locked_matches(*db, filter, {}, limit);
            if (rows.empty()) {
                Document doc = upsert_seed(filter);
                apply_update(update, doc);
                bool named = doc.contains("_id");
                result.upserted_id = insert_one(*db, doc, paths, named);
                tx.commit();
                return result;
            }
        }
        for (auto& row : rows) {
            ++result.matched;
            Document after = row.doc;
            apply_update(update, after);
            if (after == row.doc) continue;
            sql::check_indexed_scalars(after, paths, name_, kPgBackend);
            write_doc(*db, row.id, after);
            ++result.modified;
        }
        tx.commit();
        return result;
    });
}

std::optional<Document> PgCollection::find_and_modify(const Filter& filter, const Update& update,
                                                      const FindAndModifyOptions& options) {
    return retrying([&]() -> std::optional<Document> {
        auto db = store_.pool().lease();
        auto paths = indexed_paths(*db);
        Transaction tx(*db);
        auto rows = locked_matches(*db, filter, options.sort, 1);
        if (rows.empty() && options.upsert) {
            lock_collection(*db);
            rows = locked_matches(*db, filter, options.sort, 1);
            if (rows.empty()) {
                Document doc = upsert_seed(filter);
                apply_update(update, doc);
                insert_one(*db, doc, paths, doc.contains("_id"));
                tx.commit();
                if (options.return_new) return doc;
                return std::nullopt;
            }
        }
        if (rows.empty()) return std::nullopt;
        Row& row = rows.front();
        Document after = row.doc;
        apply_update(update, after);
        sql::check_indexed_scalars(after, paths, name_, kPgBackend);
        auto result = db->exec("UPDATE \"" + table_ + "\" SET doc = $2::jsonb WHERE id = $1" +
                                   (options.return_new ? " RETURNING doc" : ""),
                               {row.id, sql::serialize(after)});
        std::optional<Document> out;
        if (options.return_new && result.rows() == 1)
            out = Document::parse(result.text(0, 0));
        else if (!options.return_new)
            out = std::move(row.doc);
        tx.commit();
        return out;
    });
}

bool PgCollection::replace(const std::string& id, Document doc) {
    if (!doc.is_object()) throw QueryError("a document must be a JSON object");
    doc["_id"] = id;
    check_document_keys(doc);
    return retrying([&] {
        auto db = store_.pool().lease();
        sql::check_indexed_scalars(doc, indexed_paths(*db), name_, kPgBackend);
        auto result = db->exec("UPDATE \"" + table_ + "\" SET doc = $2::jsonb WHERE id = $1",
                               {id, sql::serialize(doc)});
        return result.affected() > 0;
    });
}

std::int64_t PgCollection::remove(const Filter& filter) {
    return retrying([&]() -> std::int64_t {
        auto db = store_.pool().lease();
        auto plan = sql::plan_query(store_.dialect(), filter, {}, indexed_paths(*db));
        if (!plan.match_in_process)
            return db->exec("DELETE FROM \"" + table_ + "\" WHERE " + plan.where, plan_params(plan))
                .affected();
        Transaction tx(*db);
        auto rows = locked_matches(*db, filter, {}, std::nullopt);
        for (const auto& row : rows)
            db->exec("DELETE FROM \"" + table_ + "\" WHERE id = $1", {row.id});
        tx.commit();
        return std::int64_t(rows.size());
    });
}

void PgCollection::create_index(const IndexSpec& spec) {
    sql::check_index_keys(spec, kPgBackend);
    std::string name = index_name(spec);
    retrying([&] {
        auto db = store_.pool().lease();
        Transaction tx(*db);
        db->exec("SELECT pg_advisory_xact_lock(hashtext('famigo-ddl'))");
        indexed_paths(*db, true);
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
        for (const auto& key : spec.keys) {
            // Any prefix of the path holding a list in some document refuses the index.
            std::string test, prefix;
            for (const auto& segment : split_path(key.path)) {
                prefix += (prefix.empty() ? "" : ",") + segment;
                test += std::string(test.empty() ? "" : " OR ") + "jsonb_typeof(doc #> '{" +
                        prefix + "}') = 'array'";
            }
            auto found = db->exec("SELECT id FROM \"" + table_ + "\" WHERE " + test + " LIMIT 1");
            if (found.rows() > 0)
                throw QueryError("field '" + key.path + "' is indexed and reaches a list; the " +
                                 kPgBackend +
                                 " backend indexes values outside lists only (collection '" +
                                 name_ + "', document '" + std::string(found.text(0, 0)) + "')");
        }
        IndexSpec stored = spec;
        stored.name = name;
        db->exec(sql::create_index_sql(store_.dialect(), table_, sql::index_sql_name(name_, name),
                                       stored));
        db->exec("INSERT INTO famigo_indexes(collection, name, spec) VALUES ($1, $2, $3::jsonb)",
                 {name_, name, index_spec_json(stored).dump()});
        // Fresh statistics on the new expressions: the planner needs them to
        // pick the index over a scan.
        db->exec("ANALYZE \"" + table_ + "\"");
        tx.commit();
        forget_schema();
    });
}

std::vector<IndexSpec> PgCollection::indexes() {
    auto db = store_.pool().lease();
    indexed_paths(*db, true);
    std::lock_guard lock(mutex_);
    auto out = specs_;
    std::sort(out.begin(), out.end(),
              [](const IndexSpec& a, const IndexSpec& b) { return a.name < b.name; });
    return out;
}

void PgCollection::drop() {
    retrying([&] {
        auto db = store_.pool().lease();
        Transaction tx(*db);
        db->exec("SELECT pg_advisory_xact_lock(hashtext('famigo-ddl'))");
        db->exec("DROP TABLE IF EXISTS \"" + table_ + "\"");
        db->exec("DELETE FROM famigo_indexes WHERE collection = $1", {name_});
        tx.commit();
        forget_schema();
        ensure_table(*db);
    });
}

}  // namespace famigo::docstore::postgres
