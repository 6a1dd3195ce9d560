#include "docstore/store.hpp"

#include <algorithm>

namespace famigo::docstore {

std::vector<Document> Collection::find(const Filter& filter, const FindOptions& options) {
    std::vector<Document> out;
    scan(filter, options, [&](Document&& doc) {
        out.push_back(std::move(doc));
        return true;
    });
    return out;
}

std::optional<Document> Collection::find_one(const Filter& filter, FindOptions options) {
    options.limit = 1;
    std::optional<Document> out;
    scan(filter, options, [&](Document&& doc) {
        out = std::move(doc);
        return false;
    });
    return out;
}

std::optional<Document> Collection::get(const std::string& id) {
    return find_one(field("_id") == id);
}

std::vector<Document> Collection::distinct(const std::string& path, const Filter& filter) {
    FindOptions options;
    options.projection.only = {path};
    std::vector<Document> values;
    scan(filter, options, [&](Document&& doc) {
        std::vector<const Document*> found;
        resolve_path(doc, path, found);
        for (const Document* v : found) {
            if (v->is_array())
                values.insert(values.end(), v->begin(), v->end());
            else
                values.push_back(*v);
        }
        return true;
    });
    std::sort(values.begin(), values.end(),
              [](const Document& a, const Document& b) { return compare_values(a, b) < 0; });
    values.erase(
        std::unique(values.begin(), values.end(),
                    [](const Document& a, const Document& b) { return values_equal(a, b); }),
        values.end());
    return values;
}

std::string index_name(const IndexSpec& spec) {
    if (!spec.name.empty()) return spec.name;
    std::string name;
    for (const auto& key : spec.keys) {
        if (!name.empty()) name += '_';
        name += key.path + (key.descending ? "_-1" : "_1");
    }
    return name;
}

}  // namespace famigo::docstore
