#include "search/index.hpp"

#include <algorithm>

namespace famigo::search {
namespace {

template <class Range>
bool has(const Range& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool has_text(const Schema& schema, const std::string& name) {
    return std::any_of(schema.text.begin(), schema.text.end(),
                       [&](const Schema::TextField& f) { return f.name == name; });
}

}  // namespace

void Index::check(std::span<const Document> documents) const {
    for (const auto& doc : documents) {
        if (doc.id.empty()) throw Error("a search document needs an id");
        for (const auto& [name, value] : doc.text)
            if (!has_text(schema_, name)) throw Error("no text field '" + name + "' in the schema");
        for (const auto& [name, value] : doc.keywords)
            if (!has(schema_.keywords, name))
                throw Error("no keyword field '" + name + "' in the schema");
        for (const auto& [name, value] : doc.numbers)
            if (!has(schema_.numbers, name))
                throw Error("no number field '" + name + "' in the schema");
    }
}

void Index::check(const Query& query) const {
    for (const auto& [name, values] : query.filters)
        if (!has(schema_.keywords, name)) throw Error("cannot filter on '" + name + "'");
    for (const auto& name : query.facets)
        if (!has(schema_.keywords, name)) throw Error("cannot count values of '" + name + "'");
    std::string sort = query.sort.starts_with('-') ? query.sort.substr(1) : query.sort;
    if (!sort.empty() && !has(schema_.numbers, sort))
        throw Error("cannot sort on '" + query.sort + "'");
}

}  // namespace famigo::search
