#include "docstore/sqlite/sql_plan.hpp"

namespace famigo::docstore::sqlite {
namespace {

std::string json_path(const std::string& path) {
    std::string out = "'$";
    for (const auto& segment : split_path(path)) out += ".\"" + segment + "\"";
    return out + "'";
}

int rank_of(const Document& v) {
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

struct Planner {
    explicit Planner(const std::set<std::string>& indexed_paths) : indexed(indexed_paths) {}

    const std::set<std::string>& indexed;
    QueryPlan plan;
    std::vector<std::string> terms;
    std::vector<Filter> leftovers;
    // Paths whose rank, or value, an equality term fixes: SQLite does not see
    // that such an ORDER BY column is constant and would sort in a temp b-tree.
    std::set<std::string> fixed_rank, fixed_value;

    std::string bind(const Document& v) {
        plan.parameters.push_back(v);
        return "?";
    }

    // An exact SQL term for one condition, or false when it cannot be one.
    bool translate(const Filter& f) {
        if (f.kind() != Filter::Kind::Condition) return false;
        const std::string& path = f.path();
        const Document& v = f.value();
        if (path == "_id") {
            auto cmp = comparison(f.op());
            if (cmp && v.is_string()) {
                terms.push_back("id " + std::string(cmp) + " " + bind(v));
                return true;
            }
            if (f.op() == Op::In && !v.empty() &&
                std::all_of(v.begin(), v.end(), [](auto& x) { return x.is_string(); })) {
                std::string list;
                for (const auto& x : v) list += (list.empty() ? "" : ",") + bind(x);
                terms.push_back("id IN (" + list + ")");
                return true;
            }
            return false;
        }
        if (!indexed.count(path)) return false;
        int rank = rank_of(v);
        if (f.op() == Op::Eq && rank == 1) {
            terms.push_back(rank_expr(path) + " = 1");
            fixed_rank.insert(path);
            return true;
        }
        if (auto cmp = comparison(f.op()); cmp && rank > 1 && (f.op() == Op::Eq || rank != 6)) {
            terms.push_back(rank_expr(path) + " = " + std::to_string(rank) + " AND " +
                            value_expr(path) + " " + cmp + " " + bind(v));
            fixed_rank.insert(path);
            if (f.op() == Op::Eq) fixed_value.insert(path);
            return true;
        }
        if (f.op() == Op::In && !v.empty()) {
            int first = rank_of(v.front());
            if (first < 2 || first == 6) return false;
            std::string list;
            for (const auto& x : v) {
                if (rank_of(x) != first) return false;
                list += (list.empty() ? "" : ",") + bind(x);
            }
            fixed_rank.insert(path);
            terms.push_back(rank_expr(path) + " = " + std::to_string(first) + " AND " +
                            value_expr(path) + " IN (" + list + ")");
            return true;
        }
        return false;
    }

    static const char* comparison(Op op) {
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
};

}  // namespace

bool indexable_path(const std::string& path) {
    if (path.empty()) return false;
    for (const auto& segment : split_path(path)) {
        if (segment.empty()) return false;
        bool all_digits = true;
        for (char c : segment) {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
            if (!ok) return false;
            all_digits = all_digits && c >= '0' && c <= '9';
        }
        if (all_digits) return false;
    }
    return true;
}

std::string rank_expr(const std::string& path) {
    return "(CASE json_type(doc," + json_path(path) +
           ") WHEN 'integer' THEN 2 WHEN 'real' THEN 2 WHEN 'text' THEN 3 WHEN 'object' THEN 4"
           " WHEN 'array' THEN 5 WHEN 'true' THEN 6 WHEN 'false' THEN 6 ELSE 1 END)";
}

std::string value_expr(const std::string& path) {
    return "ifnull(json_extract(doc," + json_path(path) + "),0)";
}

QueryPlan plan_query(const Filter& filter, const std::vector<SortKey>& sort,
                     const std::set<std::string>& indexed) {
    Planner planner(indexed);
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
        plan.uses_matcher = true;
        plan.residual = planner.leftovers.size() == 1
                            ? std::move(planner.leftovers.front())
                            : Filter::join(Filter::Kind::And, std::move(planner.leftovers));
        where += std::string(where.empty() ? "" : " AND ") + "famigo_match(doc, ?)";
    }
    plan.where = where.empty() ? "1" : where;
    for (const auto& key : sort) {
        const char* direction = key.descending ? " DESC" : "";
        if (!plan.order_by.empty()) plan.order_by += ", ";
        if (key.path == "_id") {
            plan.order_by += std::string("id") + direction;
        } else if (indexed.count(key.path)) {
            std::string columns;
            if (!fixed_rank.count(key.path)) columns = rank_expr(key.path) + direction;
            if (!fixed_value.count(key.path))
                columns += (columns.empty() ? "" : ", ") + value_expr(key.path) + direction;
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

std::string create_index_sql(const std::string& table, const std::string& sql_name,
                             const IndexSpec& spec) {
    std::string columns;
    for (const auto& key : spec.keys) {
        const char* direction = key.descending ? " DESC" : "";
        if (!columns.empty()) columns += ", ";
        columns += rank_expr(key.path) + direction + ", " + value_expr(key.path) + direction;
    }
    return std::string("CREATE ") + (spec.unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS \"" +
           sql_name + "\" ON \"" + table + "\" (" + columns + ")";
}

}  // namespace famigo::docstore::sqlite
