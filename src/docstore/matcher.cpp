// Evaluates a Filter against one document with MongoDB's semantics. The SQLite
// backend runs this inside its queries (as an SQL function) for every condition
// its indexes cannot answer exactly, so it is the reference both backends meet.
#include <memory>
#include <regex>
#include <unordered_map>

#include "docstore/errors.hpp"
#include "docstore/filter.hpp"

namespace famigo::docstore {
namespace {

void values_at(const Document& doc, const std::string& path, std::vector<const Document*>& out) {
    if (path.empty()) {  // inside elem_match: the list element itself
        out.push_back(&doc);
        return;
    }
    resolve_path(doc, path, out);
}

// Calls `test` on each reached value and, for a list, on each of its elements:
// a condition on a list field holds if it holds for the list or one element.
template <typename Test>
bool any_value(const std::vector<const Document*>& values, Test&& test) {
    for (const Document* value : values) {
        if (test(*value)) return true;
        if (value->is_array())
            for (const auto& element : *value)
                if (test(element)) return true;
    }
    return false;
}

bool equals_any(const std::vector<const Document*>& values, const Document& wanted) {
    if (values.empty()) return wanted.is_null();
    return any_value(values, [&](const Document& v) { return values_equal(v, wanted); });
}

constexpr std::size_t kMaxRegexSubject = 32 * 1024;
constexpr std::size_t kMaxRegexPattern = 1024;

const std::regex& compiled(const std::string& pattern, const std::string& options) {
    if (pattern.size() > kMaxRegexPattern) throw QueryError("a regex may be at most 1 KiB long");
    // Compiling is far dearer than matching; a filter runs on many documents.
    thread_local std::unordered_map<std::string, std::unique_ptr<std::regex>> cache;
    std::string key = options + '/' + pattern;
    auto it = cache.find(key);
    if (it != cache.end()) return *it->second;
    if (cache.size() > 64) cache.clear();
    auto flags = std::regex::ECMAScript;
    if (options.find('i') != std::string::npos) flags |= std::regex::icase;
    if (options.find('m') != std::string::npos) flags |= std::regex::multiline;
    try {
        auto regex = std::make_unique<std::regex>(pattern, flags);
        return *cache.emplace(key, std::move(regex)).first->second;
    } catch (const std::regex_error& e) {
        throw QueryError("invalid regular expression '" + pattern + "': " + e.what());
    }
}

bool string_test(const Filter& f, const std::string& subject) {
    const std::string& operand = f.value().get_ref<const std::string&>();
    switch (f.op()) {
        case Op::Regex:
            // std::regex recurses per character: bound what it sees so a
            // pattern over a huge string fails clearly instead of blowing the stack.
            if (subject.size() > kMaxRegexSubject)
                throw QueryError("regex on '" + f.path() +
                                 "': strings over 32 KiB cannot be searched with a regex");
            return std::regex_search(subject, compiled(operand, f.options()));
        case Op::IExact:
            return fold_case(subject) == fold_case(operand);
        case Op::Contains:
            return subject.find(operand) != std::string::npos;
        case Op::IContains:
            return fold_case(subject).find(fold_case(operand)) != std::string::npos;
        case Op::StartsWith:
            return subject.starts_with(operand);
        case Op::IStartsWith:
            return fold_case(subject).starts_with(fold_case(operand));
        case Op::EndsWith:
            return subject.ends_with(operand);
        case Op::IEndsWith:
            return fold_case(subject).ends_with(fold_case(operand));
        default:
            return false;
    }
}

bool compare_test(Op op, const Document& value, const Document& operand) {
    if (type_class(value) != type_class(operand)) return false;  // type bracketing
    int c = compare_values(value, operand);
    switch (op) {
        case Op::Lt:
            return c < 0;
        case Op::Lte:
            return c <= 0;
        case Op::Gt:
            return c > 0;
        case Op::Gte:
            return c >= 0;
        default:
            return false;
    }
}

bool condition_matches(const Filter& f, const Document& doc) {
    std::vector<const Document*> values;
    values_at(doc, f.path(), values);
    const Document& operand = f.value();
    switch (f.op()) {
        case Op::Eq:
            return equals_any(values, operand);
        case Op::Ne:
            return !equals_any(values, operand);
        case Op::Lt:
        case Op::Lte:
        case Op::Gt:
        case Op::Gte:
            return any_value(values,
                             [&](const Document& v) { return compare_test(f.op(), v, operand); });
        case Op::In:
        case Op::Nin: {
            bool found = false;
            for (const auto& wanted : operand) found = found || equals_any(values, wanted);
            return f.op() == Op::In ? found : !found;
        }
        case Op::Exists:
            return values.empty() != operand.get<bool>();
        case Op::Size:
            for (const Document* v : values)
                if (v->is_array() && std::int64_t(v->size()) == operand.get<std::int64_t>())
                    return true;
            return false;
        case Op::All:
            if (operand.empty()) return false;
            for (const auto& wanted : operand)
                if (values.empty() || !equals_any(values, wanted)) return false;
            return true;
        default:
            return any_value(values, [&](const Document& v) {
                return v.is_string() && string_test(f, v.get_ref<const std::string&>());
            });
    }
}

}  // namespace

bool matches(const Filter& f, const Document& doc) {
    switch (f.kind()) {
        case Filter::Kind::Everything:
            return true;
        case Filter::Kind::Condition:
            return condition_matches(f, doc);
        case Filter::Kind::And:
            for (const auto& child : f.children())
                if (!matches(child, doc)) return false;
            return true;
        case Filter::Kind::Or:
            for (const auto& child : f.children())
                if (matches(child, doc)) return true;
            return false;
        case Filter::Kind::Nor:
            for (const auto& child : f.children())
                if (matches(child, doc)) return false;
            return true;
        case Filter::Kind::ElemMatch: {
            std::vector<const Document*> values;
            values_at(doc, f.path(), values);
            for (const Document* v : values) {
                if (!v->is_array()) continue;
                for (const auto& element : *v)
                    if (matches(f.children().front(), element)) return true;
            }
            return false;
        }
    }
    return false;
}

}  // namespace famigo::docstore
