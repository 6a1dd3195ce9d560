// What the SQL backends (SQLite, PostgreSQL) check and store alike around
// their table-per-collection layout: which paths can be indexed, that an
// indexed path never reaches a list, documents as JSON text, and the SQL name
// of an index (short enough for every engine).
#pragma once

#include <set>
#include <string>

#include "docstore/store.hpp"

namespace famigo::docstore::sql {

// True if `path` can be indexed here: segments of letters, digits, '_' or '-',
// none all digits (a list position).
bool indexable_path(const std::string& path);
// QueryError naming the path unless every key of `spec` is indexable.
void check_index_keys(const IndexSpec& spec, std::string_view backend);
// QueryError when one of `paths` reaches a list in `doc`: the expression
// indexes hold values outside lists only.
void check_indexed_scalars(const Document& doc, const std::set<std::string>& paths,
                           std::string_view collection, std::string_view backend);
// The document as JSON text; QueryError when a string is not UTF-8.
std::string serialize(const Document& doc);

// "x_<collection>__<index>" with other characters as '_', at most 63 bytes
// (PostgreSQL's limit; a longer name ends in a hash of the whole).
std::string index_sql_name(const std::string& collection, const std::string& index);

}  // namespace famigo::docstore::sql
