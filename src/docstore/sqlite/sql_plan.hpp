// Internal to the SQLite backend: turns a Filter and sort keys into SQL over a
// collection table (id TEXT, doc TEXT holding JSON). Conditions on `_id` and on
// indexed paths become expressions that match the expression indexes exactly,
// so SQLite answers them from an index; the rest is left to famigo_match(), the
// in-process matcher. Indexed paths hold no lists (the backend enforces that on
// write), which is what makes those expressions exact.
//
// Per indexed path p, an index holds two columns: rank(p), MongoDB's type
// class (missing and null 1, numbers 2, strings 3, objects 4, booleans 6), then
// value(p), the JSON value with null/missing as 0. Comparing within one rank is
// MongoDB's type bracketing, and (rank, value) order is MongoDB's sort order.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "docstore/store.hpp"

namespace famigo::docstore::sqlite {

// True if `path` can be indexed here: segments of letters, digits, '_' or '-',
// none all digits (a list position).
bool indexable_path(const std::string& path);
std::string rank_expr(const std::string& path);
std::string value_expr(const std::string& path);

struct QueryPlan {
    std::string where;                 // SQL after WHERE
    std::vector<Document> parameters;  // bound in order, before the filter pointer
    bool uses_matcher = false;         // famigo_match(doc, ?) is the last parameter
    Filter residual;                   // what famigo_match checks
    std::string order_by;              // SQL after ORDER BY, or empty
    bool sorted_in_sql = true;         // false: sort in process (keys not all indexed)
};

QueryPlan plan_query(const Filter& filter, const std::vector<SortKey>& sort,
                     const std::set<std::string>& indexed_paths);

// The statement-level SQL for an index on `table`.
std::string create_index_sql(const std::string& table, const std::string& sql_name,
                             const IndexSpec& spec);

}  // namespace famigo::docstore::sqlite
