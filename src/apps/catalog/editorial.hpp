// Editorial fields from a JSON file: what reviewers decide about an app (the
// APProved badge, the cool/drool review, the content descriptors, the age
// band, the developer's name), matched to apps by source_id so the file
// survives re-imports. `famigo editorial PATH` runs it; `make run` applies
// data/editorial.json after the demo import.
//
//   [{"source_id": "ios:728293409", "approved": true,
//     "review": {"cool": "...", "drool": "..."},
//     "descriptors": {"ads": "no", "in_app_purchases": "yes"},
//     "age_band": "6-8", "developer": "ustwo games"}, ...]
//
// Every entry is checked (known keys, values the App model accepts) before
// anything is written; a bad file changes nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "docstore/store.hpp"

namespace famigo::apps::catalog {

class EditorialError : public Error {
  public:
    using Error::Error;
};

struct EditorialReport {
    std::int64_t entries = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::vector<std::string> missing;      // source ids with no app in the store
    std::int64_t generation = 0;           // after the run; 0 when nothing changed
    std::vector<std::string> changed_ids;  // _id of every updated app (the search index's work)
};

// Throws EditorialError naming the entry and field for a malformed file.
EditorialReport apply_editorial(docstore::Store& store, const std::filesystem::path& file);

}  // namespace famigo::apps::catalog
