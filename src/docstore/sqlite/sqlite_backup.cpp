// Online backup and restore of the SQLite store with SQLite's backup API. The
// source connection holds one read transaction for the whole copy, so the copy
// is a consistent snapshot even while other connections and processes write
// (WAL readers never block writers, and the snapshot never changes under us).
#include "docstore/checksum.hpp"
#include "docstore/sqlite/sqlite_store.hpp"

namespace famigo::docstore::sqlite {
namespace {

constexpr int kPagesPerStep = 256;

void copy_database(sqlite3* to, sqlite3* from, const Progress& progress, std::string_view what) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (!backup) throw StoreError(std::string("sqlite backup: ") + sqlite3_errmsg(to));
    int rc;
    do {
        rc = sqlite3_backup_step(backup, kPagesPerStep);
        if (progress) {
            auto total = std::uint64_t(sqlite3_backup_pagecount(backup));
            progress(total - std::uint64_t(sqlite3_backup_remaining(backup)), total, what);
        }
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw StoreError(std::string("sqlite backup: ") + sqlite3_errstr(rc));
}

void check_integrity(Connection& db, const std::string& what) {
    auto stmt = db.prepare("PRAGMA integrity_check");
    stmt.step();
    if (stmt.text(0) != "ok")
        throw Unavailable(what + " fails its integrity check: " + std::string(stmt.text(0)));
}

}  // namespace

void SqliteStore::backup(const std::filesystem::path& dest, const Progress& progress) {
    std::filesystem::path partial = dest.string() + ".partial";
    std::filesystem::remove(partial);
    {
        auto source = pool_.lease();
        source->exec("BEGIN");  // pins one snapshot for the whole copy
        try {
            auto stmt = source->prepare("SELECT count(*) FROM famigo_collections");
            stmt.step();
        } catch (...) {
            source->exec("ROLLBACK");
            throw;
        }
        try {
            Connection target(partial, pool_.busy_timeout());
            target.exec("PRAGMA journal_mode=DELETE");  // one self-contained file
            copy_database(target.raw(), source->raw(), progress, "pages");
            check_integrity(target, "the new backup");
        } catch (...) {
            source->exec("ROLLBACK");
            throw;
        }
        source->exec("COMMIT");
    }
    std::filesystem::rename(partial, dest);
    write_checksum(dest);
}

void SqliteStore::restore(const std::filesystem::path& src, const Progress& progress, bool force) {
    verify_checksum(src);
    Connection source(src, pool_.busy_timeout(), true);
    check_integrity(source, "the backup");
    {
        auto stmt =
            source.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'famigo_collections'");
        stmt.step();
        if (stmt.integer(0) == 0)
            throw Unavailable("'" + src.string() + "' is not a Famigo SQLite backup");
    }
    if (!force) {
        for (const auto& name : collection_names())
            if (collection(name).count() > 0)
                throw StoreError("the store is not empty (collection '" + name +
                                 "'); restore with --force to replace it");
    }
    pool_.close_idle();
    {
        auto target = pool_.lease();
        copy_database(target->raw(), source.raw(), progress, "pages");
    }
    std::lock_guard lock(mutex_);
    for (auto& [name, collection] : collections_) {
        collection->forget_schema();  // the cached index lists describe the old content
        auto db = pool_.lease();
        collection->ensure_table(*db);  // collections the backup lacks stay usable
    }
}

}  // namespace famigo::docstore::sqlite
