#include "docstore/query_tools.hpp"

#include <algorithm>

#include "core/strings.hpp"

namespace famigo::docstore {
namespace {

Document sort_value(const Document& doc, const std::string& path, bool descending) {
    std::vector<const Document*> values;
    resolve_path(doc, path, values);
    const Document* best = nullptr;
    auto consider = [&](const Document& v) {
        if (!best || (descending ? compare_values(v, *best) > 0 : compare_values(v, *best) < 0))
            best = &v;
    };
    for (const Document* v : values) {
        if (v->is_array()) {
            for (const auto& element : *v) consider(element);
        } else {
            consider(*v);
        }
    }
    return best ? *best : Document(nullptr);
}

void copy_path(const Document& from, Document& to, const std::vector<std::string>& segments,
               size_t at) {
    if (!from.is_object()) return;
    auto it = from.find(segments[at]);
    if (it == from.end()) return;
    if (at + 1 == segments.size()) {
        to[segments[at]] = *it;
        return;
    }
    Document& child = to[segments[at]];
    if (!child.is_object()) child = Document::object();
    copy_path(*it, child, segments, at + 1);
}

void erase_path(Document& doc, const std::vector<std::string>& segments, size_t at) {
    if (!doc.is_object()) return;
    if (at + 1 == segments.size()) {
        doc.erase(segments[at]);
        return;
    }
    auto it = doc.find(segments[at]);
    if (it != doc.end()) erase_path(*it, segments, at + 1);
}

}  // namespace

std::vector<SortKey> parse_sort(std::string_view text) {
    std::vector<SortKey> keys;
    for (auto part : strings::split(text, ',')) {
        part = strings::trim(part);
        if (part.empty()) continue;
        SortKey key;
        if (part.front() == '-' || part.front() == '+') {
            key.descending = part.front() == '-';
            part.remove_prefix(1);
        }
        if (part.empty() || part.front() == '$')
            throw QueryError("sort: '" + std::string(text) + "' is not a list of fields");
        key.path = std::string(part);
        keys.push_back(std::move(key));
    }
    return keys;
}

bool sorts_before(const Document& a, const Document& b, const std::vector<SortKey>& keys) {
    for (const auto& key : keys) {
        int c = compare_values(sort_value(a, key.path, key.descending),
                               sort_value(b, key.path, key.descending));
        if (c != 0) return key.descending ? c > 0 : c < 0;
    }
    return false;
}

void sort_documents(std::vector<Document>& docs, const std::vector<SortKey>& keys) {
    if (keys.empty()) return;
    // Extract sort values once per document rather than once per comparison.
    std::vector<std::pair<std::vector<Document>, size_t>> decorated(docs.size());
    for (size_t i = 0; i < docs.size(); ++i) {
        decorated[i].second = i;
        for (const auto& key : keys)
            decorated[i].first.push_back(sort_value(docs[i], key.path, key.descending));
    }
    std::stable_sort(decorated.begin(), decorated.end(), [&](const auto& x, const auto& y) {
        for (size_t k = 0; k < keys.size(); ++k) {
            int c = compare_values(x.first[k], y.first[k]);
            if (c != 0) return keys[k].descending ? c > 0 : c < 0;
        }
        return false;
    });
    std::vector<Document> sorted;
    sorted.reserve(docs.size());
    for (auto& entry : decorated) sorted.push_back(std::move(docs[entry.second]));
    docs = std::move(sorted);
}

void check_projection(const Projection& projection) {
    if (!projection.only.empty() && !projection.exclude.empty()) {
        bool only_id = projection.exclude.size() == 1 && projection.exclude.front() == "_id";
        if (!only_id) throw QueryError("projection: use either only() or exclude(), not both");
    }
    for (const auto* list : {&projection.only, &projection.exclude})
        for (const auto& path : *list)
            for (const auto& segment : split_path(path))
                if (segment.empty() || segment.front() == '$')
                    throw QueryError("projection: '" + path + "' is not a field path");
}

Document apply_projection(Document doc, const Projection& projection) {
    if (projection.empty() || !doc.is_object()) return doc;
    bool drop_id = std::find(projection.exclude.begin(), projection.exclude.end(), "_id") !=
                   projection.exclude.end();
    if (!projection.only.empty()) {
        Document out = Document::object();
        if (!drop_id && doc.contains("_id")) out["_id"] = doc["_id"];
        for (const auto& path : projection.only) copy_path(doc, out, split_path(path), 0);
        return out;
    }
    for (const auto& path : projection.exclude) erase_path(doc, split_path(path), 0);
    return doc;
}

std::string& prepare_document_id(Document& doc) {
    if (!doc.is_object()) throw QueryError("a document must be a JSON object");
    check_document_keys(doc);
    auto it = doc.find("_id");
    if (it == doc.end()) it = doc.emplace("_id", new_id()).first;
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
        throw QueryError("_id must be a non-empty string");
    return it->get_ref<std::string&>();
}

Document index_spec_json(const IndexSpec& spec) {
    Document keys = Document::array();
    for (const auto& key : spec.keys) keys.push_back({key.path, key.descending ? -1 : 1});
    return {{"name", index_name(spec)}, {"keys", keys}, {"unique", spec.unique}};
}

IndexSpec index_spec_from_json(const Document& json) {
    IndexSpec spec;
    spec.name = json.at("name").get<std::string>();
    spec.unique = json.value("unique", false);
    for (const auto& key : json.at("keys"))
        spec.keys.push_back({key.at(0).get<std::string>(), key.at(1).get<int>() < 0});
    return spec;
}

}  // namespace famigo::docstore
