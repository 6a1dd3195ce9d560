// Internal: the factories open_store() dispatches to, one per backend folder.
// Not a public header; only store.cpp and the backends include it.
#pragma once

#include <memory>

#include "docstore/store.hpp"

namespace famigo::docstore {

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path,
                                         const StoreOptions& options);
std::unique_ptr<Store> open_mongo_store(const StoreOptions& options);
std::unique_ptr<Store> open_postgres_store(const StoreOptions& options);

}  // namespace famigo::docstore
