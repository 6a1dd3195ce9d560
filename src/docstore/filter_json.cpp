// MongoDB's JSON filter syntax to and from Filter. The parser is an allow-list:
// anything it does not know is refused with the path where it was met, so a
// filter typed into the CLI or sent to the API can never run JavaScript.
#include "docstore/errors.hpp"
#include "docstore/filter.hpp"

namespace famigo::docstore {
namespace {

const std::pair<std::string_view, Op> kOperators[] = {
    {"$eq", Op::Eq},     {"$ne", Op::Ne},   {"$lt", Op::Lt},         {"$lte", Op::Lte},
    {"$gt", Op::Gt},     {"$gte", Op::Gte}, {"$in", Op::In},         {"$nin", Op::Nin},
    {"$size", Op::Size}, {"$all", Op::All}, {"$exists", Op::Exists},
};

bool is_forbidden(std::string_view name) {
    return name == "$where" || name == "$expr" || name == "$function" || name == "$accumulator" ||
           name == "$jsonSchema" || name == "$text" || name == "$code";
}

[[noreturn]] void refuse(std::string_view at, std::string_view name) {
    std::string where = at.empty() ? "at the top level" : "at '" + std::string(at) + "'";
    if (is_forbidden(name))
        throw QueryError("operator '" + std::string(name) + "' " + where +
                         " is not allowed: JavaScript and server-side expressions are refused");
    throw QueryError("unknown operator '" + std::string(name) + "' " + where);
}

void check_path(std::string_view path) {
    if (path.empty()) throw QueryError("empty field name in filter");
    for (const auto& segment : split_path(path))
        if (segment.empty() || segment.front() == '$')
            throw QueryError("field path '" + std::string(path) + "' is not valid");
}

bool is_operator_object(const Document& value) {
    return value.is_object() && !value.empty() && value.begin().key().starts_with("$");
}

Filter parse_document(const Document& json, std::string_view at);

std::vector<Filter> parse_list(const Document& value, std::string_view name) {
    if (!value.is_array() || value.empty())
        throw QueryError("'" + std::string(name) + "' needs a non-empty list of filters");
    std::vector<Filter> out;
    for (const auto& item : value) out.push_back(parse_document(item, ""));
    return out;
}

// The operators applied to one path: {"$gt": 1, "$lt": 5} -> gt AND lt.
Filter parse_operators(const std::string& path, const Document& ops) {
    std::vector<Filter> parts;
    for (auto it = ops.begin(); it != ops.end(); ++it) {
        const std::string& name = it.key();
        if (!name.starts_with("$"))
            throw QueryError("at '" + path + "': cannot mix operators and field names ('" + name +
                             "')");
        const Document& value = it.value();
        if (name == "$options") {
            if (!ops.contains("$regex"))
                throw QueryError("at '" + path + "': $options without $regex");
            continue;
        }
        if (name == "$regex") {
            std::string options;
            if (auto o = ops.find("$options"); o != ops.end()) {
                if (!o->is_string()) throw QueryError("at '" + path + "': $options needs a string");
                options = o->get<std::string>();
            }
            if (!value.is_string()) throw QueryError("at '" + path + "': $regex needs a string");
            parts.push_back(Filter::condition(path, Op::Regex, value, options));
            continue;
        }
        if (name == "$not") {
            if (!is_operator_object(value))
                throw QueryError("at '" + path +
                                 "': $not needs an operator object such as {\"$gt\": 1}");
            parts.push_back(!parse_operators(path, value));
            continue;
        }
        if (name == "$elemMatch") {
            if (!value.is_object() || value.empty())
                throw QueryError("at '" + path + "': $elemMatch needs a non-empty object");
            Filter element = is_operator_object(value) ? parse_operators("", value)
                                                       : parse_document(value, path);
            parts.push_back(Filter::elem_match(path, std::move(element)));
            continue;
        }
        bool known = false;
        for (const auto& [op_text, op] : kOperators) {
            if (name != op_text) continue;
            known = true;
            Document operand = value;
            if (op == Op::Exists && operand.is_number()) operand = operand.get<double>() != 0;
            check_document_keys(operand, path);  // a value never carries operators
            parts.push_back(Filter::condition(path, op, std::move(operand)));
        }
        if (!known) refuse(path, name);
    }
    if (parts.size() == 1) return std::move(parts.front());
    return Filter::join(Filter::Kind::And, std::move(parts));
}

Filter parse_document(const Document& json, std::string_view at) {
    if (!json.is_object()) throw QueryError("a filter must be a JSON object");
    std::vector<Filter> parts;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const std::string& key = it.key();
        if (key.starts_with("$")) {
            Filter::Kind kind;
            if (key == "$and")
                kind = Filter::Kind::And;
            else if (key == "$or")
                kind = Filter::Kind::Or;
            else if (key == "$nor")
                kind = Filter::Kind::Nor;
            else
                refuse(at, key);
            parts.push_back(Filter::join(kind, parse_list(it.value(), key)));
            continue;
        }
        check_path(key);
        if (is_operator_object(it.value())) {
            parts.push_back(parse_operators(key, it.value()));
        } else {
            check_document_keys(it.value(), key);
            parts.push_back(Filter::condition(key, Op::Eq, it.value()));
        }
    }
    if (parts.empty()) return Filter();
    if (parts.size() == 1) return std::move(parts.front());
    return Filter::join(Filter::Kind::And, std::move(parts));
}

Document regex_of(const Filter& f) {
    std::string text = f.value().get<std::string>();
    std::string escaped = regex_escape(text);
    switch (f.op()) {
        case Op::IExact:
            return {{"$regex", "^" + escaped + "$"}, {"$options", "i"}};
        case Op::Contains:
            return {{"$regex", escaped}};
        case Op::IContains:
            return {{"$regex", escaped}, {"$options", "i"}};
        case Op::StartsWith:
            return {{"$regex", "^" + escaped}};
        case Op::IStartsWith:
            return {{"$regex", "^" + escaped}, {"$options", "i"}};
        case Op::EndsWith:
            return {{"$regex", escaped + "$"}};
        case Op::IEndsWith:
            return {{"$regex", escaped + "$"}, {"$options", "i"}};
        default:
            break;
    }
    Document out = {{"$regex", text}};
    if (!f.options().empty()) out["$options"] = f.options();
    return out;
}

Document operator_of(const Filter& f) {
    switch (f.op()) {
        case Op::Regex:
        case Op::IExact:
        case Op::Contains:
        case Op::IContains:
        case Op::StartsWith:
        case Op::IStartsWith:
        case Op::EndsWith:
        case Op::IEndsWith:
            return regex_of(f);
        default:
            return {{"$" + std::string(op_name(f.op())), f.value()}};
    }
}

// The operator form of element-level conditions inside $elemMatch.
Document element_operators(const Filter& f) {
    if (f.kind() == Filter::Kind::Condition && f.path().empty()) return operator_of(f);
    if (f.kind() == Filter::Kind::And) {
        Document out = Document::object();
        for (const auto& child : f.children()) {
            Document part = element_operators(child);
            for (auto it = part.begin(); it != part.end(); ++it) {
                if (out.contains(it.key()))  // the same operator twice: fall back to $and-free form
                    throw QueryError("elem_match: the operator " + it.key() +
                                     " is used twice on list elements");
                out[it.key()] = it.value();
            }
        }
        return out;
    }
    if (f.kind() == Filter::Kind::Nor && f.children().size() == 1)
        return {{"$not", element_operators(f.children().front())}};
    throw QueryError("elem_match over plain values takes conditions joined by 'and' only");
}

bool on_elements(const Filter& f) {
    if (f.kind() == Filter::Kind::Condition) return f.path().empty();
    for (const auto& child : f.children())
        if (on_elements(child)) return true;
    return false;
}

}  // namespace

Filter parse_filter(const Document& json) {
    return parse_document(json, "");
}

Filter parse_filter_text(std::string_view json_text) {
    Document json = Document::parse(json_text, nullptr, false);
    if (json.is_discarded()) throw QueryError("the filter is not valid JSON");
    return parse_filter(json);
}

Document to_mongo(const Filter& f) {
    switch (f.kind()) {
        case Filter::Kind::Everything:
            return Document::object();
        case Filter::Kind::Condition:
            // Plain {"a": 5} for scalar equality: the form servers optimize best
            // (FerretDB pushes only this one down to its SQL). Values never hold
            // '$' keys, so an object could not be read as operators, but it
            // keeps the explicit $eq all the same.
            if (f.op() == Op::Eq && !f.value().is_object()) return {{f.path(), f.value()}};
            return {{f.path(), operator_of(f)}};
        case Filter::Kind::ElemMatch: {
            const Filter& element = f.children().front();
            Document inner = on_elements(element) ? element_operators(element) : to_mongo(element);
            return {{f.path(), {{"$elemMatch", inner}}}};
        }
        case Filter::Kind::And: {
            // {"a": .., "b": ..} when no two children use one key: MongoDB's
            // plainest form, and the one FerretDB accepts inside $elemMatch.
            // Two conditions on one path merge into one operator document
            // ({"a": {"$gte": 1, "$lt": 5}}) when their operators differ: the
            // same meaning, and no $and (which FerretDB does not push down).
            Document merged = Document::object();
            bool plain = true;
            auto operators_only = [](const Document& v) {
                if (!v.is_object() || v.empty()) return false;
                for (auto it = v.begin(); it != v.end(); ++it)
                    if (it.key().empty() || it.key()[0] != '$') return false;
                return true;
            };
            for (const auto& child : f.children()) {
                Document part = to_mongo(child);
                for (auto it = part.begin(); it != part.end() && plain; ++it) {
                    if (!merged.contains(it.key())) {
                        merged[it.key()] = it.value();
                        continue;
                    }
                    Document& existing = merged[it.key()];
                    plain = it.key()[0] != '$' && operators_only(existing) &&
                            operators_only(it.value());
                    for (auto op = it.value().begin(); plain && op != it.value().end(); ++op)
                        plain = !existing.contains(op.key());
                    if (plain) existing.update(it.value());
                }
            }
            if (plain) return merged;
            [[fallthrough]];
        }
        case Filter::Kind::Or:
        case Filter::Kind::Nor: {
            Document list = Document::array();
            for (const auto& child : f.children()) list.push_back(to_mongo(child));
            const char* name = f.kind() == Filter::Kind::And  ? "$and"
                               : f.kind() == Filter::Kind::Or ? "$or"
                                                              : "$nor";
            return {{name, list}};
        }
    }
    return Document::object();
}

}  // namespace famigo::docstore
