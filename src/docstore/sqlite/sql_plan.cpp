#include "docstore/sqlite/sql_plan.hpp"

namespace famigo::docstore::sqlite {
namespace {

std::string sqlite_json_path(const std::string& path) {
    std::string out = "'$";
    for (const auto& segment : split_path(path)) out += ".\"" + segment + "\"";
    return out + "'";
}

}  // namespace

std::string SqliteDialect::rank_expr(const std::string& path) const {
    return "(CASE json_type(doc," + sqlite_json_path(path) +
           ") WHEN 'integer' THEN 2 WHEN 'real' THEN 2 WHEN 'text' THEN 3 WHEN 'object' THEN 4"
           " WHEN 'array' THEN 5 WHEN 'true' THEN 6 WHEN 'false' THEN 6 ELSE 1 END)";
}

std::string SqliteDialect::value_expr(const std::string& path) const {
    return "ifnull(json_extract(doc," + sqlite_json_path(path) + "),0)";
}

QueryPlan plan_query(const Filter& filter, const std::vector<SortKey>& sort,
                     const std::set<std::string>& indexed_paths) {
    return sql::plan_query(SqliteDialect(), filter, sort, indexed_paths);
}

std::string create_index_sql(const std::string& table, const std::string& sql_name,
                             const IndexSpec& spec) {
    return sql::create_index_sql(SqliteDialect(), table, sql_name, spec);
}

}  // namespace famigo::docstore::sqlite
