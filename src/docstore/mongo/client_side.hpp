// Internal to the MongoDB backend: what to do when the server cannot run part
// of a filter. FerretDB v1 refuses $elemMatch over embedded documents
// ("unknown operator"); for such a server the backend sends a relaxed filter
// (a superset of the matches) and checks the exact one in process with the
// shared matcher, doing skip, limit and projection itself.
#pragma once

#include "docstore/filter.hpp"

namespace famigo::docstore::mongo {

// True if `filter` holds an elem_match whose element conditions name fields.
bool has_document_elem_match(const Filter& filter);
// A filter every match of `filter` also matches, without those elem_matches.
Filter relax(const Filter& filter);

}  // namespace famigo::docstore::mongo
