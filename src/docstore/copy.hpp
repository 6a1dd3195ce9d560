// Copies a whole store into another, whatever their backends: the move from
// the embedded SQLite store to a scale-out one (PostgreSQL, MongoDB) and back.
// Collection by collection, documents in _id order in batches, then the
// declared indexes (building them after the data is faster and checks unique
// ones once); then the counts and the content checksum of both sides
// (store_checksum in checksum.hpp) must agree.
#pragma once

#include <cstdint>
#include <string>

#include "docstore/store.hpp"

namespace famigo::docstore {

struct CopyReport {
    std::uint64_t collections = 0;
    std::uint64_t documents = 0;
    std::uint64_t indexes = 0;
    std::string checksum;  // of the source, equal to the destination's
};

// Refuses a destination holding documents unless `force`, which drops the
// destination's collections of the same names first. Throws StoreError when
// the copy does not match the source afterwards.
CopyReport copy_store(Store& source, Store& dest, const Progress& progress, bool force);

}  // namespace famigo::docstore
