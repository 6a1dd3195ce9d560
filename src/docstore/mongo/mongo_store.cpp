#include "docstore/backends.hpp"

namespace famigo::docstore {
std::unique_ptr<Store> open_mongo_store(const StoreOptions&) { throw StoreError("mongodb backend: not yet"); }
}  // namespace famigo::docstore
