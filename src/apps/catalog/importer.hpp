// `famigo import`'s engine: reads Google Play and App Store CSV exports
// (mapping.hpp) into the apps collection, idempotently.
//
// Every file is read whole before anything is written, so an unreadable file
// or a broken CSV leaves the store as it was. Rows are keyed by source_id;
// a later row with the same key (Google Play repeats names) replaces the
// earlier one in memory and counts as a merged duplicate. Then each app is
// either new (gets a unique slug, inserted in batches with insert_many), known
// and changed (only the store-metadata fields that differ are $set/$unset;
// slug, descriptors, review, approval and published are never touched), or
// known and unchanged (no write). When anything was written, meta/catalog's
// `generation` is incremented (generation.hpp), for cache invalidation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "apps/catalog/mapping.hpp"
#include "docstore/store.hpp"

namespace famigo::apps::catalog {

// A file that cannot be imported at all: unreadable, not a known export, or
// not CSV. The message names the file.
class ImportError : public Error {
  public:
    using Error::Error;
};

struct FileStats {
    std::string file;  // as given (path)
    SourceKind kind = SourceKind::GooglePlay;
    std::int64_t read = 0;  // data rows (blank lines are not rows)
    std::int64_t inserted = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t duplicates = 0;  // rows merged into an earlier row of the same app
    std::int64_t rejected = 0;
    FileStats& operator+=(const FileStats& other);
};

struct RejectedRow {
    std::string file;
    std::uint64_t line = 0;  // physical line in the file
    std::string reason;
};

struct ImportReport {
    std::vector<FileStats> files;
    std::vector<RejectedRow> rejected;
    std::int64_t generation = 0;  // meta/catalog generation after the import (0: never bumped)
    double read_seconds = 0;
    double write_seconds = 0;
    std::vector<std::string> changed_ids;  // _id of every inserted or updated app
    FileStats total() const;
    bool changed() const { return total().inserted + total().updated > 0; }
};

// The CSV files PATH names: itself, or the *.csv files of a folder sorted by
// name. Throws ImportError when there are none or a path does not exist.
std::vector<std::filesystem::path> expand_paths(const std::vector<std::string>& paths);
// Reads a file's header; ImportError when unreadable or not a known export.
SourceLayout detect_file(const std::filesystem::path& file);

// Called while reading: the file, its rows read so far, bytes read and its size.
using ImportProgress = std::function<void(const std::string& file, std::uint64_t rows,
                                          std::uint64_t bytes, std::uint64_t total_bytes)>;

struct ImportOptions {
    std::size_t batch_size = 500;  // documents per insert_many (one transaction on SQLite)
    ImportProgress progress;
    // Called once every file is read, before any write: how many apps are new, how many changed.
    std::function<void(std::size_t inserts, std::size_t updates)> writing;
};

// Imports the files into store's "apps" collection (indexes must exist:
// docstore::migrate). Throws ImportError before writing anything when a file
// cannot be read; rejected rows are reported, not thrown.
ImportReport import_catalog(docstore::Store& store, const std::vector<std::filesystem::path>& files,
                            const ImportOptions& options = {});

// The slug for a new app: slugify(title), then "-<platform>", then
// "-<platform>-2", "-3"... until it is not in `taken`; adds it to `taken`.
std::string unique_slug(std::string_view title, std::string_view platform,
                        std::unordered_set<std::string>& taken);

}  // namespace famigo::apps::catalog
