// The embedded search backend: a Xapian database in a folder of this machine
// (`search.url = xapian://var/search`). The folder holds generations
// (gen-<n>/, each a Xapian database) and `current`, a Xapian stub file naming
// the one being read; a rebuild writes a new generation and replaces `current`
// with a rename, so readers switch between two queries, never mid-way.
// Writers (import, editorial) take Xapian's lock for one batch and commit, so
// a serving process and a command can share the folder. Xapian is private to
// this folder.
#pragma once

#include <filesystem>
#include <memory>

#include "search/index.hpp"

namespace famigo::search {

// Creates the folder and an empty first generation when there is none.
// Throws Unavailable when it cannot be created or opened.
std::unique_ptr<Index> open_xapian(const std::filesystem::path& dir, Schema schema);

}  // namespace famigo::search
