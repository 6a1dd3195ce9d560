// Sorting and projection done in process, with MongoDB's rules: a list sorts by
// its smallest element ascending and its largest descending, a missing field
// sorts as null. Backends use these when their engine cannot do it exactly.
#pragma once

#include <vector>

#include "docstore/store.hpp"

namespace famigo::docstore {

// Stable-sorts documents by the keys.
void sort_documents(std::vector<Document>& docs, const std::vector<SortKey>& keys);
// True if a should come before b.
bool sorts_before(const Document& a, const Document& b, const std::vector<SortKey>& keys);
Document apply_projection(Document doc, const Projection& projection);
void check_projection(const Projection& projection);

}  // namespace famigo::docstore
