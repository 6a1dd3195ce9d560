// Internal to the SQLite backend: its dialect of the shared SQL builder
// (docstore/sql/sql_plan.hpp). Per indexed path p the expression index holds
// rank(p), a CASE over json_type (MongoDB's type class), and value(p),
// ifnull(json_extract(doc, p), 0); parameters are '?'; the residual filter is
// checked inside the query by famigo_match(doc, ?), the in-process matcher
// registered on every connection.
#pragma once

#include "docstore/sql/sql_plan.hpp"

namespace famigo::docstore::sqlite {

using sql::QueryPlan;

class SqliteDialect final : public sql::Dialect {
  public:
    std::string rank_expr(const std::string& path) const override;
    std::string value_expr(const std::string& path) const override;
    std::string placeholder(std::size_t, sql::ParamKind) const override { return "?"; }
    std::string matcher_term(std::size_t) const override { return "famigo_match(doc, ?)"; }
};

QueryPlan plan_query(const Filter& filter, const std::vector<SortKey>& sort,
                     const std::set<std::string>& indexed_paths);
std::string create_index_sql(const std::string& table, const std::string& sql_name,
                             const IndexSpec& spec);

}  // namespace famigo::docstore::sqlite
