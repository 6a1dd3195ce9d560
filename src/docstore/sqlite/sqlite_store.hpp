// Internal to the SQLite backend: the Store and Collection implementations.
// Layout in the database file: famigo_collections (one row per collection),
// famigo_indexes (each declared index's spec as JSON) and one table per
// collection, "c_<name>" (id TEXT PRIMARY KEY, doc TEXT), whose declared
// indexes are expression indexes "x_<collection>__<index name>".
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "docstore/sqlite/connection.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore::sqlite {

class SqliteStore;

class SqliteCollection final : public Collection {
  public:
    SqliteCollection(SqliteStore& store, std::string name);
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
    // Makes sure the table exists (again, after a drop or a restore).
    void ensure_table(Connection& db);
    // Forgets the cached index list (the file's content was replaced).
    void forget_schema() {
        std::lock_guard lock(mutex_);
        schema_seen_ = -1;
    }

  private:
    struct Match {
        std::int64_t rowid;
        Document doc;
    };
    // Rereads the declared indexes when the schema changed (another connection or
    // process may have created one); returns the indexed paths.
    std::set<std::string> indexed_paths(Connection& db);
    void check_indexed_scalars(const Document& doc, const std::set<std::string>& paths) const;
    std::string insert_one(Connection& db, Document& doc, const std::set<std::string>& paths);
    std::vector<Match> matching(Connection& db, const Filter& filter,
                                const std::vector<SortKey>& sort,
                                std::optional<std::int64_t> limit);
    std::string serialize(const Document& doc) const;

    SqliteStore& store_;
    std::string name_;
    std::string table_;
    std::mutex mutex_;
    std::int64_t schema_seen_ = -1;
    std::set<std::string> indexed_;
    std::vector<IndexSpec> specs_;
};

class SqliteStore final : public Store {
  public:
    SqliteStore(std::filesystem::path path, const StoreOptions& options);
    std::string_view backend() const override { return "sqlite"; }
    Collection& collection(std::string_view name) override;
    std::vector<std::string> collection_names() override;
    void ping() override;
    void backup(const std::filesystem::path& dest, const Progress& progress) override;
    void restore(const std::filesystem::path& src, const Progress& progress, bool force) override;

    Pool& pool() { return pool_; }

  private:
    Pool pool_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<SqliteCollection>, std::less<>> collections_;
};

}  // namespace famigo::docstore::sqlite
