#include "docstore/filter.hpp"

#include "docstore/errors.hpp"

namespace famigo::docstore {

Filter Filter::condition(std::string path, Op op, Document value, std::string options) {
    Filter f;
    f.kind_ = Kind::Condition;
    f.path_ = std::move(path);
    f.op_ = op;
    f.value_ = std::move(value);
    f.options_ = std::move(options);
    switch (op) {
        case Op::In:
        case Op::Nin:
        case Op::All:
            if (!f.value_.is_array())
                throw QueryError("'" + f.path_ + "': " + std::string(op_name(op)) +
                                 " needs a list");
            break;
        case Op::Exists:
            if (!f.value_.is_boolean())
                throw QueryError("'" + f.path_ + "': exists needs true or false");
            break;
        case Op::Size:
            if (!f.value_.is_number_integer() || f.value_.get<std::int64_t>() < 0)
                throw QueryError("'" + f.path_ + "': size needs a non-negative integer");
            break;
        case Op::Regex:
        case Op::IExact:
        case Op::Contains:
        case Op::IContains:
        case Op::StartsWith:
        case Op::IStartsWith:
        case Op::EndsWith:
        case Op::IEndsWith:
            if (!f.value_.is_string())
                throw QueryError("'" + f.path_ + "': " + std::string(op_name(op)) +
                                 " needs a string");
            break;
        default:
            break;
    }
    for (char c : f.options_)
        if (c != 'i' && c != 'm')
            throw QueryError("'" + f.path_ + "': unknown regex option '" + std::string(1, c) + "'");
    return f;
}

Filter Filter::join(Kind kind, std::vector<Filter> children) {
    Filter f;
    f.kind_ = kind;
    f.children_ = std::move(children);
    return f;
}

Filter Filter::elem_match(std::string path, Filter element) {
    Filter f;
    f.kind_ = Kind::ElemMatch;
    f.path_ = std::move(path);
    f.children_.push_back(std::move(element));
    return f;
}

Filter operator&&(Filter a, Filter b) {
    if (a.matches_everything()) return b;
    if (b.matches_everything()) return a;
    std::vector<Filter> children;
    for (Filter* side : {&a, &b}) {
        if (side->kind() == Filter::Kind::And)
            children.insert(children.end(), side->children().begin(), side->children().end());
        else
            children.push_back(std::move(*side));
    }
    return Filter::join(Filter::Kind::And, std::move(children));
}

Filter operator||(Filter a, Filter b) {
    std::vector<Filter> children;
    for (Filter* side : {&a, &b}) {
        if (side->kind() == Filter::Kind::Or)
            children.insert(children.end(), side->children().begin(), side->children().end());
        else
            children.push_back(std::move(*side));
    }
    return Filter::join(Filter::Kind::Or, std::move(children));
}

Filter operator!(Filter a) {
    if (a.kind() == Filter::Kind::Nor && a.children().size() == 1) return a.children().front();
    return Filter::join(Filter::Kind::Nor, {std::move(a)});
}

Filter Field::regex(std::string pattern, std::string options) const {
    return Filter::condition(path_, Op::Regex, std::move(pattern), std::move(options));
}

std::string_view op_name(Op op) {
    switch (op) {
        case Op::Eq:
            return "eq";
        case Op::Ne:
            return "ne";
        case Op::Lt:
            return "lt";
        case Op::Lte:
            return "lte";
        case Op::Gt:
            return "gt";
        case Op::Gte:
            return "gte";
        case Op::In:
            return "in";
        case Op::Nin:
            return "nin";
        case Op::Exists:
            return "exists";
        case Op::Size:
            return "size";
        case Op::All:
            return "all";
        case Op::Regex:
            return "regex";
        case Op::IExact:
            return "iexact";
        case Op::Contains:
            return "contains";
        case Op::IContains:
            return "icontains";
        case Op::StartsWith:
            return "startswith";
        case Op::IStartsWith:
            return "istartswith";
        case Op::EndsWith:
            return "endswith";
        case Op::IEndsWith:
            return "iendswith";
    }
    return "?";
}

std::string regex_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

Filter q(std::string_view key, Document value) {
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        size_t sep = key.find("__", start);
        parts.emplace_back(key.substr(start, sep == std::string_view::npos ? sep : sep - start));
        if (sep == std::string_view::npos) break;
        start = sep + 2;
    }
    static const std::pair<std::string_view, Op> kOps[] = {
        {"ne", Op::Ne},
        {"lt", Op::Lt},
        {"lte", Op::Lte},
        {"gt", Op::Gt},
        {"gte", Op::Gte},
        {"in", Op::In},
        {"nin", Op::Nin},
        {"exists", Op::Exists},
        {"size", Op::Size},
        {"all", Op::All},
        {"exact", Op::Eq},
        {"iexact", Op::IExact},
        {"contains", Op::Contains},
        {"icontains", Op::IContains},
        {"startswith", Op::StartsWith},
        {"istartswith", Op::IStartsWith},
        {"endswith", Op::EndsWith},
        {"iendswith", Op::IEndsWith},
        {"regex", Op::Regex},
        {"eq", Op::Eq},
    };
    Op op = Op::Eq;
    bool negate = false;
    if (parts.size() > 1) {
        for (const auto& [name, found] : kOps) {
            if (parts.back() == name) {
                op = found;
                parts.pop_back();
                break;
            }
        }
        if (parts.size() > 1 && parts.back() == "not") {
            negate = true;
            parts.pop_back();
        }
    }
    std::string path;
    for (const auto& part : parts) {
        if (part.empty()) throw QueryError("'" + std::string(key) + "' is not a field lookup");
        if (!path.empty()) path += '.';
        path += part;
    }
    Filter f = Filter::condition(std::move(path), op, std::move(value));
    return negate ? !f : f;
}

}  // namespace famigo::docstore
