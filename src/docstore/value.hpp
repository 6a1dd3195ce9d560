// Documents and the rules every backend shares for their values: a document is
// a JSON object (nlohmann::json) whose "_id" is a string; values compare in
// MongoDB's order (null < numbers < strings < objects < arrays < booleans, 5 ==
// 5.0); dotted paths reach into embedded documents and through lists the way
// MongoDB's do. The SQLite backend and the in-process matcher use these so both
// backends agree on what a filter matches and how results sort.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::docstore {

using Document = nlohmann::json;

// The order classes of MongoDB's comparison: values only compare with <, > etc.
// inside one class ("type bracketing"). Missing and null share the null class.
enum class TypeClass { Null = 1, Number = 2, String = 3, Object = 4, Array = 5, Boolean = 6 };
TypeClass type_class(const Document& value);

// Total order over values, MongoDB style: negative, zero or positive.
int compare_values(const Document& a, const Document& b);
inline bool values_equal(const Document& a, const Document& b) {
    return compare_values(a, b) == 0;
}

std::vector<std::string> split_path(std::string_view path);
// A dotted path's numeric segment ("3" in "tags.3") as a list position: false
// for anything but 1 to 9 ASCII digits.
bool path_index(std::string_view segment, size_t& index);

// Every value a dotted path reaches: through embedded documents, into each
// element of a list met on the way (and by position for numeric segments).
// Empty when the path reaches nothing (the field is missing).
void resolve_path(const Document& doc, std::string_view path, std::vector<const Document*>& out);
// The single value at a path of plain embedded documents (no list expansion).
const Document* find_path(const Document& doc, std::string_view path);

// Unicode-aware lower-casing for case-insensitive string operators: ASCII,
// Latin-1, Latin Extended-A, Greek and Cyrillic letters; other text unchanged.
std::string fold_case(std::string_view text);

// A new document id: 24 hex digits (time, random, counter) like a MongoDB
// ObjectId, so ids sort roughly by creation time on both backends.
std::string new_id();

// Rejects keys that a backend would read as an operator or a path: keys that
// start with '$', contain '.' or NUL, or are empty. Throws QueryError naming it.
void check_document_keys(const Document& doc, std::string_view where = "");

// Rejects a collection name that is not 1-64 characters of [A-Za-z0-9_].
void check_collection_name(std::string_view name);

}  // namespace famigo::docstore
