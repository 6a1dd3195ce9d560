#include "docstore/sql/sql_plan.hpp"

#include <algorithm>

namespace famigo::docstore::sql {
namespace {

int sql_rank_of(const Document& v) {
    switch (type_class(v)) {
        case TypeClass::Null:
            return 1;
        case TypeClass::Number:
            return 2;
        case TypeClass::String:
            return 3;
        case TypeClass::Boolean:
            return 6;
        default:
            return 0;  // objects and lists: not planned in SQL
    }
}

const char* sql_comparison(Op op) {
    switch (op) {
        case Op::Eq:
            return "=";
        case Op::Lt:
            return "<";
        case Op::Lte:
            return "<=";
        case Op::Gt:
            return ">";
        case Op::Gte:
            return ">=";
        default:
            return nullptr;
    }
}

struct SqlPlanner {
    SqlPlanner(const Dialect& d, const std::set<std::string>& indexed_paths)
        : dialect(d), indexed(indexed_paths) {}

    const Dialect& dialect;
    const std::set<std::string>& indexed;
    QueryPlan plan;
    std::vector<std::string> terms;
    std::vector<Filter> leftovers;
    // Paths whose rank, or value, an equality term fixes: an engine may not see
    // that such an ORDER BY column is constant and would sort.
    std::set<std::string> fixed_rank, fixed_value;

    std::string bind(const Document& v, ParamKind kind) {
        plan.parameters.push_back(v);
        plan.kinds.push_back(kind);
        return dialect.placeholder(plan.parameters.size(), kind);
    }

    // "rank = r AND value IN (...)" for values of one rank (null: rank only),
    // or "" when they are not all of one plannable rank.
    std::string in_term(const std::string& path, const Document& values) {
        if (!values.is_array() || values.empty()) return "";
        int first = sql_rank_of(values.front());
        if (first < 1) return "";
        for (const auto& x : values)
            if (sql_rank_of(x) != first) return "";
        if (first == 1) return dialect.rank_expr(path) + " = 1";
        std::string list;
        for (const auto& x : values) list += (list.empty() ? "" : ",") + bind(x, ParamKind::Value);
        return dialect.rank_expr(path) + " = " + std::to_string(first) + " AND " +
               dialect.value_expr(path) + " IN (" + list + ")";
    }

    // An exact SQL term for one condition, or false when it cannot be one.
    bool translate(const Filter& f) {
        if (f.kind() != Filter::Kind::Condition) return false;
        const std::string& path = f.path();
        const Document& v = f.value();
        if (path == "_id") {
            auto cmp = sql_comparison(f.op());
            if (cmp && v.is_string()) {
                terms.push_back("id " + std::string(cmp) + " " + bind(v, ParamKind::Id));
                return true;
            }
            if (f.op() == Op::In && !v.empty() &&
                std::all_of(v.begin(), v.end(), [](auto& x) { return x.is_string(); })) {
                std::string list;
                for (const auto& x : v) list += (list.empty() ? "" : ",") + bind(x, ParamKind::Id);
                terms.push_back("id IN (" + list + ")");
                return true;
            }
            return false;
        }
        if (!indexed.count(path)) return false;
        int rank = sql_rank_of(v);
        if (f.op() == Op::Eq && rank == 1) {
            terms.push_back(dialect.rank_expr(path) + " = 1");
            fixed_rank.insert(path);
            return true;
        }
        if (auto cmp = sql_comparison(f.op()); cmp && rank > 1 && (f.op() == Op::Eq || rank != 6)) {
            terms.push_back(dialect.rank_expr(path) + " = " + std::to_string(rank) + " AND " +
                            dialect.value_expr(path) + " " + cmp + " " + bind(v, ParamKind::Value));
            fixed_rank.insert(path);
            if (f.op() == Op::Eq) fixed_value.insert(path);
            return true;
        }
        if (f.op() == Op::In) {
            std::string term = in_term(path, v);
            if (term.empty()) return false;
            fixed_rank.insert(path);
            terms.push_back(term);
            return true;
        }
        // An indexed path holds no list, so "not equal" is exactly "not (equal)".
        if (f.op() == Op::Ne && rank >= 1) {
            std::string term = in_term(path, Document::array({v}));
            if (term.empty()) return false;
            terms.push_back("NOT (" + term + ")");
            return true;
        }
        if (f.op() == Op::Nin) {
            std::string term = in_term(path, v);
            if (term.empty()) return false;
            terms.push_back("NOT (" + term + ")");
            return true;
        }
        return false;
    }
};

}  // namespace

QueryPlan plan_query(const Dialect& dialect, const Filter& filter, const std::vector<SortKey>& sort,
                     const std::set<std::string>& indexed) {
    SqlPlanner planner(dialect, indexed);
    if (filter.kind() == Filter::Kind::And) {
        for (const auto& child : filter.children())
            if (!planner.translate(child)) planner.leftovers.push_back(child);
    } else if (!filter.matches_everything() && !planner.translate(filter)) {
        planner.leftovers.push_back(filter);
    }
    QueryPlan plan = std::move(planner.plan);
    const auto& fixed_rank = planner.fixed_rank;
    const auto& fixed_value = planner.fixed_value;
    std::string where;
    for (const auto& term : planner.terms) where += (where.empty() ? "" : " AND ") + term;
    if (!planner.leftovers.empty()) {
        plan.residual = planner.leftovers.size() == 1
                            ? std::move(planner.leftovers.front())
                            : Filter::join(Filter::Kind::And, std::move(planner.leftovers));
        std::string term = dialect.matcher_term(plan.parameters.size() + 1);
        if (term.empty()) {
            plan.match_in_process = true;
        } else {
            plan.uses_matcher = true;
            where += std::string(where.empty() ? "" : " AND ") + term;
        }
    }
    plan.where = where.empty() ? "1=1" : where;
    for (const auto& key : sort) {
        const char* direction = key.descending ? " DESC" : "";
        if (!plan.order_by.empty()) plan.order_by += ", ";
        if (key.path == "_id") {
            plan.order_by += std::string("id") + direction;
        } else if (indexed.count(key.path)) {
            std::string columns;
            if (!fixed_rank.count(key.path)) columns = dialect.rank_expr(key.path) + direction;
            if (!fixed_value.count(key.path))
                columns += (columns.empty() ? "" : ", ") + dialect.value_expr(key.path) + direction;
            if (columns.empty() && !plan.order_by.empty())
                plan.order_by.resize(plan.order_by.size() - 2);
            plan.order_by += columns;
        } else {
            plan.sorted_in_sql = false;
            plan.order_by.clear();
            break;
        }
    }
    return plan;
}

std::string create_index_sql(const Dialect& dialect, const std::string& table,
                             const std::string& sql_name, const IndexSpec& spec) {
    std::string columns;
    for (const auto& key : spec.keys) {
        const char* direction = key.descending ? " DESC" : "";
        if (!columns.empty()) columns += ", ";
        columns += dialect.rank_expr(key.path) + direction + ", (" + dialect.value_expr(key.path) +
                   ")" + direction;
    }
    return std::string("CREATE ") + (spec.unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS \"" +
           sql_name + "\" ON \"" + table + "\" (" + columns + ")";
}

}  // namespace famigo::docstore::sql
