#include "docstore/sql/sql_documents.hpp"

#include <cstdio>
#include <functional>

namespace famigo::docstore::sql {

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

void check_index_keys(const IndexSpec& spec, std::string_view backend) {
    if (spec.keys.empty()) throw QueryError("an index needs at least one key");
    for (const auto& key : spec.keys)
        if (!indexable_path(key.path))
            throw QueryError("index key '" + key.path + "': the " + std::string(backend) +
                             " backend indexes paths of letters, digits, "
                             "'_' and '-' (no list positions)");
}

void check_indexed_scalars(const Document& doc, const std::set<std::string>& paths,
                           std::string_view collection, std::string_view backend) {
    for (const auto& path : paths) {
        const Document* node = &doc;
        for (const auto& segment : split_path(path)) {
            if (!node->is_object()) break;
            auto it = node->find(segment);
            if (it == node->end()) break;
            node = &*it;
            if (node->is_array())
                throw QueryError("field '" + path + "' is indexed and reaches a list; the " +
                                 std::string(backend) +
                                 " backend indexes values outside lists only (collection '" +
                                 std::string(collection) + "')");
        }
    }
}

std::string serialize(const Document& doc) {
    try {
        return doc.dump();
    } catch (const nlohmann::json::type_error&) {
        throw QueryError("document contains a string that is not valid UTF-8");
    }
}

std::string index_sql_name(const std::string& collection, const std::string& index) {
    std::string out = "x_" + collection + "__";
    for (char c : index)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
    if (out.size() <= 63) return out;
    // FNV-1a: stable across builds and machines (std::hash is not).
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : out) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return out.substr(0, 46) + "_" + hex;
}

}  // namespace famigo::docstore::sql
