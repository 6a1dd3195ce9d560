#include "docstore/postgres/pg_store.hpp"

#include "docstore/backends.hpp"
#include "docstore/export.hpp"

namespace famigo::docstore {

std::unique_ptr<Store> open_postgres_store(const StoreOptions& options) {
    return std::make_unique<postgres::PgStore>(options);
}

namespace postgres {
namespace {

// doc #> '{a,b}': the jsonb at a dotted path (indexable paths need no quoting).
std::string pg_doc_at(const std::string& path) {
    std::string at = "doc #> '{";
    bool first = true;
    for (const auto& segment : split_path(path)) {
        at += (first ? "" : ",") + segment;
        first = false;
    }
    return at + "}'";
}

}  // namespace

std::string PgDialect::rank_expr(const std::string& path) const {
    std::string at = pg_doc_at(path);
    return "(CASE jsonb_typeof(" + at +
           ") WHEN 'number' THEN 2 WHEN 'string' THEN 3 WHEN 'object' THEN 4 WHEN 'array' THEN 5"
           " WHEN 'boolean' THEN 6 ELSE 1 END)";
}

std::string PgDialect::value_expr(const std::string& path) const {
    std::string at = pg_doc_at(path);
    return "COALESCE(NULLIF(" + at + ", 'null'::jsonb), '0'::jsonb)";
}

std::string PgDialect::placeholder(std::size_t n, sql::ParamKind kind) const {
    return "$" + std::to_string(n) + (kind == sql::ParamKind::Value ? "::jsonb" : "");
}

std::vector<std::string> plan_params(const sql::QueryPlan& plan) {
    std::vector<std::string> out;
    out.reserve(plan.parameters.size());
    for (size_t i = 0; i < plan.parameters.size(); ++i) {
        const Document& v = plan.parameters[i];
        if (plan.kinds[i] == sql::ParamKind::Id)
            out.push_back(v.get<std::string>());
        else
            out.push_back(v.dump());
    }
    return out;
}

PgStore::PgStore(const StoreOptions& options) : pool_(options.url, options.timeout) {
    auto db = pool_.lease();
    Transaction tx(*db);
    // One DDL at a time across processes: CREATE ... IF NOT EXISTS races otherwise.
    db->exec("SELECT pg_advisory_xact_lock(hashtext('famigo-ddl'))");
    db->exec("CREATE TABLE IF NOT EXISTS famigo_collections (name text COLLATE \"C\" PRIMARY KEY)");
    db->exec(
        "CREATE TABLE IF NOT EXISTS famigo_indexes (collection text NOT NULL, name text NOT NULL,"
        " spec jsonb NOT NULL, PRIMARY KEY (collection, name))");
    tx.commit();
}

Collection& PgStore::collection(std::string_view name) {
    check_collection_name(name);
    std::lock_guard lock(mutex_);
    auto it = collections_.find(name);
    if (it == collections_.end())
        it = collections_
                 .emplace(std::string(name),
                          std::make_unique<PgCollection>(*this, std::string(name)))
                 .first;
    return *it->second;
}

std::vector<std::string> PgStore::collection_names() {
    auto db = pool_.lease();
    auto result = db->exec("SELECT name FROM famigo_collections ORDER BY name");
    std::vector<std::string> names;
    for (int i = 0; i < result.rows(); ++i) names.emplace_back(result.text(i, 0));
    return names;
}

void PgStore::ping() {
    auto db = pool_.lease();
    db->exec("SELECT 1");
}

void PgStore::backup(const std::filesystem::path& dest, const Progress& progress) {
    export_store(*this, dest, progress);
}

void PgStore::restore(const std::filesystem::path& src, const Progress& progress, bool force) {
    import_store(*this, src, progress, force);
}

}  // namespace postgres
}  // namespace famigo::docstore
