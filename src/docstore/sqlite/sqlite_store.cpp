#include "docstore/sqlite/sqlite_store.hpp"

#include "docstore/backends.hpp"

namespace famigo::docstore {

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path,
                                         const StoreOptions& options) {
    return std::make_unique<sqlite::SqliteStore>(path, options);
}

namespace sqlite {

SqliteStore::SqliteStore(std::filesystem::path path, const StoreOptions& options)
    : pool_(std::move(path), options.busy_timeout) {
    auto db = pool_.lease();
    WriteTransaction tx(*db);
    db->exec("CREATE TABLE IF NOT EXISTS famigo_collections (name TEXT PRIMARY KEY NOT NULL)");
    db->exec(
        "CREATE TABLE IF NOT EXISTS famigo_indexes (collection TEXT NOT NULL, name TEXT NOT NULL,"
        " spec TEXT NOT NULL, PRIMARY KEY (collection, name))");
    tx.commit();
}

Collection& SqliteStore::collection(std::string_view name) {
    check_collection_name(name);
    std::lock_guard lock(mutex_);
    auto it = collections_.find(name);
    if (it == collections_.end())
        it = collections_
                 .emplace(std::string(name),
                          std::make_unique<SqliteCollection>(*this, std::string(name)))
                 .first;
    return *it->second;
}

std::vector<std::string> SqliteStore::collection_names() {
    auto db = pool_.lease();
    auto stmt = db->prepare("SELECT name FROM famigo_collections ORDER BY name");
    std::vector<std::string> names;
    while (stmt.step()) names.emplace_back(stmt.text(0));
    return names;
}

void SqliteStore::ping() {
    auto db = pool_.lease();
    auto stmt = db->prepare("SELECT count(*) FROM famigo_collections");
    stmt.step();
}

}  // namespace sqlite
}  // namespace famigo::docstore
