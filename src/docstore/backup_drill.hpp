// Scheduled backups of the document store and their restore drill (the
// famigo.backup task and `famigo check backup`). A backup goes into
// backup.dir as famigo-<UTC time>.db (SQLite snapshot) or .jsonl (MongoDB
// export), with its FILE.sha256. The drill then proves it can be restored:
// it restores the file into a scratch SQLite store (checking its checksum
// and, for SQLite, its integrity) and compares every collection's document
// count and index names with what the backup file itself holds (for SQLite,
// read from a copy of the snapshot; for an export, counted line by line). A
// drill that passes writes FILE.drill.json; only then are backups beyond the
// newest backup.keep deleted. A failed drill throws DrillFailed and deletes
// nothing, so a bad backup never pushes out a good one.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore {

class DrillFailed : public StoreError {
  public:
    using StoreError::StoreError;
};

struct BackupPolicy {
    std::filesystem::path dir{"var/backups"};
    int keep = 7;
};

//   backup.dir   where scheduled backups go
//   backup.keep  how many passing backups to keep
void define_backup_config(config::Schema& schema);
BackupPolicy backup_policy(const config::Config& config);

struct DrillReport {
    std::filesystem::path file;
    std::map<std::string, std::int64_t> counts;  // documents per collection, as restored
    std::int64_t documents = 0;
    double backup_seconds = 0, drill_seconds = 0;
    int removed = 0;  // old backups deleted
};

// Backs `store` up into policy.dir, runs the drill and prunes. Throws
// DrillFailed (the drill) or StoreError/Unavailable (the backup itself).
DrillReport backup_with_drill(Store& store, const BackupPolicy& policy);
// The drill alone, on an existing backup file; scratch files go in `scratch`
// (created, and removed afterwards).
DrillReport restore_drill(const std::filesystem::path& backup,
                          const std::filesystem::path& scratch);

struct LastBackup {
    std::filesystem::path file;
    std::chrono::system_clock::time_point verified_at;  // when its drill passed
    std::int64_t documents = 0;
};
// The newest backup in `dir` whose drill passed; nullopt when there is none.
std::optional<LastBackup> last_verified_backup(const std::filesystem::path& dir);

}  // namespace famigo::docstore
