// Sorting and projection done in process, with MongoDB's rules: a list sorts by
// its smallest element ascending and its largest descending, a missing field
// sorts as null. Backends use these when their engine cannot do it exactly.
// Also what every backend does alike to a document before inserting it, and
// the JSON form of an index spec (backups, the SQL backends' index table).
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

// Checks a document about to be inserted (an object, allowed keys) and gives
// it an _id (new_id()) when it has none; returns that _id. QueryError otherwise.
std::string& prepare_document_id(Document& doc);
// {"name": ..., "keys": [[path, 1 or -1], ...], "unique": ...}: how backups and
// the SQL backends' famigo_indexes table store a spec.
Document index_spec_json(const IndexSpec& spec);
IndexSpec index_spec_from_json(const Document& json);

}  // namespace famigo::docstore
