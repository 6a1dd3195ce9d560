// Queries as typed values. A Filter is a tree of conditions (path, operator,
// value) joined by and/or/nor/not, built in C++ with `field("rating") >= 4 &&
// field("tags").contains("puzzle")`, MongoEngine style with `q("rating__gte", 4)`,
// or parsed from MongoDB's JSON filter syntax (the CLI and API form). Values are
// data, never operators: an object given as a value is compared as a value, and
// the JSON parser refuses $where, JavaScript and any operator it does not know.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docstore/value.hpp"

namespace famigo::docstore {

enum class Op {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    Nin,
    Exists,
    Size,
    All,
    Regex,
    // MongoEngine's string operators: matched directly here, sent to MongoDB
    // as an anchored, escaped $regex.
    IExact,
    Contains,
    IContains,
    StartsWith,
    IStartsWith,
    EndsWith,
    IEndsWith,
};

class Filter {
  public:
    enum class Kind { Everything, Condition, And, Or, Nor, ElemMatch };

    Filter() = default;  // matches every document
    static Filter condition(std::string path, Op op, Document value, std::string options = {});
    static Filter join(Kind kind, std::vector<Filter> children);
    // Documents whose list at `path` has one element matching `element`; inside
    // `element`, an empty path means the element itself.
    static Filter elem_match(std::string path, Filter element);

    Kind kind() const { return kind_; }
    const std::string& path() const { return path_; }
    Op op() const { return op_; }
    const Document& value() const { return value_; }
    const std::string& options() const {
        return options_;
    }  // regex flags: i (ignore case), m (multiline)
    const std::vector<Filter>& children() const { return children_; }
    bool matches_everything() const { return kind_ == Kind::Everything; }

  private:
    Kind kind_ = Kind::Everything;
    std::string path_;
    Op op_ = Op::Eq;
    Document value_;
    std::string options_;
    std::vector<Filter> children_;
};

Filter operator&&(Filter a, Filter b);
Filter operator||(Filter a, Filter b);
Filter operator!(Filter a);

// A dotted path in a document, from which conditions are made.
class Field {
  public:
    explicit Field(std::string path) : path_(std::move(path)) {}
    Filter operator==(Document v) const { return make(Op::Eq, std::move(v)); }
    Filter operator!=(Document v) const { return make(Op::Ne, std::move(v)); }
    Filter operator<(Document v) const { return make(Op::Lt, std::move(v)); }
    Filter operator<=(Document v) const { return make(Op::Lte, std::move(v)); }
    Filter operator>(Document v) const { return make(Op::Gt, std::move(v)); }
    Filter operator>=(Document v) const { return make(Op::Gte, std::move(v)); }
    Filter in(std::vector<Document> values) const {
        return make(Op::In, Document(std::move(values)));
    }
    Filter nin(std::vector<Document> values) const {
        return make(Op::Nin, Document(std::move(values)));
    }
    Filter exists(bool present = true) const { return make(Op::Exists, present); }
    Filter size(std::int64_t n) const { return make(Op::Size, n); }
    Filter all(std::vector<Document> values) const {
        return make(Op::All, Document(std::move(values)));
    }
    Filter exact(std::string s) const { return make(Op::Eq, std::move(s)); }
    Filter iexact(std::string s) const { return make(Op::IExact, std::move(s)); }
    Filter contains(std::string s) const { return make(Op::Contains, std::move(s)); }
    Filter icontains(std::string s) const { return make(Op::IContains, std::move(s)); }
    Filter startswith(std::string s) const { return make(Op::StartsWith, std::move(s)); }
    Filter istartswith(std::string s) const { return make(Op::IStartsWith, std::move(s)); }
    Filter endswith(std::string s) const { return make(Op::EndsWith, std::move(s)); }
    Filter iendswith(std::string s) const { return make(Op::IEndsWith, std::move(s)); }
    Filter regex(std::string pattern, std::string options = {}) const;
    Filter elem_match(Filter element) const {
        return Filter::elem_match(path_, std::move(element));
    }

  private:
    Filter make(Op op, Document value) const {
        return Filter::condition(path_, op, std::move(value));
    }
    std::string path_;
};

inline Field field(std::string path) {
    return Field(std::move(path));
}

// MongoEngine keyword form: "rating__gte", "developer__name__icontains",
// "tags" (equality), "name__not__startswith". Throws QueryError on an unknown
// operator.
Filter q(std::string_view key, Document value);

// MongoDB's JSON filter syntax, restricted to the operators above plus $and,
// $or, $nor, $not, $elemMatch, $regex/$options, $eq. Throws QueryError naming
// the path for $where, $expr, $function, unknown operators and bad values.
Filter parse_filter(const Document& json);
Filter parse_filter_text(std::string_view json_text);
// The filter in MongoDB's syntax; every condition uses an explicit operator
// ($eq, ...) so a value that looks like an operator stays a value.
Document to_mongo(const Filter& filter);

// True if `doc` matches, with MongoDB's semantics (lists match by element,
// null matches missing, comparisons stay within one type class).
bool matches(const Filter& filter, const Document& doc);

std::string_view op_name(Op op);  // "eq", "icontains", ...
// Escapes regex metacharacters so `text` matches literally.
std::string regex_escape(std::string_view text);

}  // namespace famigo::docstore
