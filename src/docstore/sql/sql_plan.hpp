// The query planner the SQL backends share (SQLite, PostgreSQL): turns a
// Filter and sort keys into SQL over a collection table (id, doc). Conditions
// on `_id` and on indexed paths become expressions that match the expression
// indexes exactly, so the engine answers them from an index; the rest is the
// residual filter, which the dialect either checks inside the query (SQLite's
// famigo_match()) or leaves to the backend to check in process (PostgreSQL).
// Indexed paths hold no lists (the backends enforce that on write), which is
// what makes those expressions exact.
//
// Per indexed path p, an index holds two columns: rank(p), MongoDB's type
// class (missing and null 1, numbers 2, strings 3, objects 4, booleans 6), then
// value(p), the value with null/missing as 0. Comparing within one rank is
// MongoDB's type bracketing, and (rank, value) order is MongoDB's sort order.
// A Dialect says how each engine spells those two expressions and its
// parameters.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "docstore/store.hpp"

namespace famigo::docstore::sql {

// What a parameter compares with: the id column (text) or a value expression.
enum class ParamKind { Id, Value };

class Dialect {
  public:
    virtual ~Dialect() = default;
    virtual std::string rank_expr(const std::string& path) const = 0;
    virtual std::string value_expr(const std::string& path) const = 0;
    // The placeholder of the n-th parameter (1-based).
    virtual std::string placeholder(std::size_t n, ParamKind kind) const = 0;
    // A term checking the residual filter in SQL (given its parameter number),
    // or "" when the backend checks it in process.
    virtual std::string matcher_term(std::size_t n) const = 0;
};

struct QueryPlan {
    std::string where;                 // SQL after WHERE
    std::vector<Document> parameters;  // bound in order, before the matcher's
    std::vector<ParamKind> kinds;      // one per parameter
    bool uses_matcher = false;         // the residual is checked in SQL (last parameter)
    bool match_in_process = false;     // the residual must be checked by the caller
    Filter residual;                   // what the matcher checks
    std::string order_by;              // SQL after ORDER BY, or empty
    bool sorted_in_sql = true;         // false: sort in process (keys not all indexed)
};

QueryPlan plan_query(const Dialect& dialect, const Filter& filter, const std::vector<SortKey>& sort,
                     const std::set<std::string>& indexed_paths);

// The statement-level SQL for an index on `table`.
std::string create_index_sql(const Dialect& dialect, const std::string& table,
                             const std::string& sql_name, const IndexSpec& spec);

}  // namespace famigo::docstore::sql
