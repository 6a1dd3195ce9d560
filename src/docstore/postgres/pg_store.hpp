// Internal to the PostgreSQL backend: its SQL dialect, the Store and the
// Collection. Layout in the database: famigo_collections (one row per
// collection), famigo_indexes (each declared index's spec as JSON) and one
// table per collection, "c_<name>" (id text COLLATE "C" PRIMARY KEY, doc
// jsonb), whose declared indexes are expression indexes "x_<collection>__<index>"
// over rank(p) and value(p) of each key (docstore/sql/sql_plan.hpp).
//
// The shared planner turns indexed conditions and sorts into SQL; what it
// cannot (regex, list operators, unindexed paths) is checked here in process
// with the shared matcher, and skip/limit then follow in process too. Read-
// modify-write operations lock their rows (SELECT ... FOR UPDATE) in one
// transaction; upserts that find nothing take a per-collection advisory lock
// and look again before INSERT ... ON CONFLICT, so two never insert twice.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include "docstore/postgres/pg_connection.hpp"
#include "docstore/sql/sql_plan.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore::postgres {

// rank(p): a CASE over jsonb_typeof(doc #> '{p}'); value(p): the jsonb value
// with JSON null and missing as 0 (jsonb compares numbers as numbers and
// strings by the database collation: create the database with C collation for
// MongoDB's code-point order). Parameters are $n, values cast to jsonb.
class PgDialect final : public sql::Dialect {
  public:
    std::string rank_expr(const std::string& path) const override;
    std::string value_expr(const std::string& path) const override;
    std::string placeholder(std::size_t n, sql::ParamKind kind) const override;
    std::string matcher_term(std::size_t) const override { return ""; }
};

// The plan's parameters as libpq text parameters.
std::vector<std::string> plan_params(const sql::QueryPlan& plan);

class PgStore;

class PgCollection final : public Collection {
  public:
    PgCollection(PgStore& store, std::string name);
    const std::string& name() const override { return name_; }
    std::string insert(Document doc) override;
    std::vector<std::string> insert_many(std::vector<Document> docs) override;
    void scan(const Filter& filter, const FindOptions& options,
              const std::function<bool(Document&&)>& each) override;
    std::int64_t count(const Filter& filter) override;
    UpdateResult update(const Filter& filter, const Update& update, UpdateOptions options) override;
    std::optional<Document> find_and_modify(const Filter& filter, const Update& update,
                                            const FindAndModifyOptions& options) override;
    bool replace(const std::string& id, Document doc) override;
    std::int64_t remove(const Filter& filter) override;
    void create_index(const IndexSpec& spec) override;
    std::vector<IndexSpec> indexes() override;
    void drop() override;

    const std::string& table() const { return table_; }
    // EXPLAIN of the query scan() runs for these arguments (the plan test):
    // the plan made for its values, or the generic plan PostgreSQL may keep
    // for the prepared statement after five runs.
    enum class PlanKind { Custom, Generic };
    std::string explain(const Filter& filter, const FindOptions& options,
                        PlanKind kind = PlanKind::Custom);

  private:
    struct Row {
        std::string id;
        Document doc;
    };
    void ensure_table(Connection& db);
    // The indexed paths, reread from famigo_indexes when older than a second
    // (another process may have declared an index) or after this one changed them.
    std::set<std::string> indexed_paths(Connection& db, bool reload = false);
    void forget_schema();
    // The matches of `filter`, locked FOR UPDATE, in `sort` order, at most `limit`.
    std::vector<Row> locked_matches(Connection& db, const Filter& filter,
                                    const std::vector<SortKey>& sort,
                                    std::optional<std::int64_t> limit);
    std::string insert_one(Connection& db, Document& doc, const std::set<std::string>& paths,
                           bool on_conflict_nothing = false);
    void write_doc(Connection& db, const std::string& id, const Document& doc);
    // Counts inserted rows; ANALYZEs the table when it has grown by as many
    // rows as its statistics knew of (see pg_collection.cpp).
    void analyze_after_growth(Connection& db, std::int64_t inserted);
    // Runs `work` again when the server aborted it for a conflict.
    template <typename Work>
    auto retrying(Work&& work) -> decltype(work());
    // DuplicateKey naming the declared index rather than its SQL name.
    [[noreturn]] void rethrow_duplicate(const DuplicateKey& e);
    void lock_collection(Connection& db);

    PgStore& store_;
    std::string name_;
    std::string table_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point schema_read_{};
    bool schema_valid_ = false;
    std::set<std::string> indexed_;
    std::vector<IndexSpec> specs_;
    std::int64_t inserted_since_analyze_ = 0;
    std::int64_t next_growth_check_ = 1000;
};

class PgStore final : public Store {
  public:
    explicit PgStore(const StoreOptions& options);
    std::string_view backend() const override { return "postgresql"; }
    Collection& collection(std::string_view name) override;
    std::vector<std::string> collection_names() override;
    void ping() override;
    void backup(const std::filesystem::path& dest, const Progress& progress) override;
    void restore(const std::filesystem::path& src, const Progress& progress, bool force) override;

    Pool& pool() { return pool_; }
    const PgDialect& dialect() const { return dialect_; }

  private:
    Pool pool_;
    PgDialect dialect_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<PgCollection>, std::less<>> collections_;
};

}  // namespace famigo::docstore::postgres
