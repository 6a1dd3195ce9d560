// A backend-neutral backup format: JSON lines streamed from and to any Store.
// The MongoDB backend's backup and restore use it (the SQLite backend has a
// page-level snapshot instead). Layout: a header line, then per collection a
// line {"$collection": name, "indexes": [...], "count": n} followed by its
// documents one per line, then {"$end": true, "documents": total}. Keys that
// start with '$' never occur in documents, so the markers cannot be confused
// with data. The file's checksum goes to FILE.sha256.
#pragma once

#include "docstore/store.hpp"

namespace famigo::docstore {

void export_store(Store& store, const std::filesystem::path& dest, const Progress& progress);
// Checks the checksum and the end marker, then loads every collection (indexes
// after the documents). Refuses a store with documents unless `force`, which
// drops the collections the backup holds first.
void import_store(Store& store, const std::filesystem::path& src, const Progress& progress,
                  bool force);

}  // namespace famigo::docstore
