// The catalog's generation: a counter in the store (collection "meta",
// document "catalog") that every write changing the catalog (an import, an
// editorial update) increments. Running servers read it to invalidate their
// cached catalog pages, whichever process made the change.
#pragma once

#include <cstdint>

#include "docstore/store.hpp"

namespace famigo::apps::catalog {

// 0 when the catalog was never written.
std::int64_t read_generation(docstore::Store& store);
// Increments it (creating the document) and stamps "updated_at"; returns the new value.
std::int64_t bump_generation(docstore::Store& store);

}  // namespace famigo::apps::catalog
