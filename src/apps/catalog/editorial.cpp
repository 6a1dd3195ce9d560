#include "apps/catalog/editorial.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "apps/catalog/generation.hpp"
#include "apps/catalog/models.hpp"
#include "docstore/errors.hpp"
#include "docstore/update.hpp"
#include "docstore/value.hpp"

namespace famigo::apps::catalog {
namespace {

using docstore::Document;

struct Entry {
    std::string source_id;
    docstore::Update update;
    std::vector<std::pair<std::string, Document>> values;  // path -> value, for the change check
};

Entry parse_entry(const Document& item, std::size_t index, const std::string& file) {
    auto where = [&](const std::string& key) {
        return file + ": entry " + std::to_string(index + 1) +
               (key.empty() ? "" : ", '" + key + "'");
    };
    if (!item.is_object()) throw EditorialError(where("") + ": not an object");
    Entry entry;
    auto set = [&](const std::string& path, const Document& value) {
        entry.update.set(path, value);
        entry.values.emplace_back(path, value);
    };
    for (const auto& [key, value] : item.items()) {
        if (key == "source_id") {
            if (!value.is_string() || value.get<std::string>().empty())
                throw EditorialError(where(key) + ": must be a non-empty string");
            entry.source_id = value.get<std::string>();
        } else if (key == "approved" || key == "published") {
            if (!value.is_boolean()) throw EditorialError(where(key) + ": must be true or false");
            set(key, value);
        } else if (key == "developer" || key == "age_band" || key == "icon_url") {
            if (!value.is_string()) throw EditorialError(where(key) + ": must be a string");
            set(key, value);
        } else if (key == "review") {
            if (!value.is_object())
                throw EditorialError(where(key) + ": must be {\"cool\": ..., \"drool\": ...}");
            for (const auto& [part, text] : value.items()) {
                if ((part != "cool" && part != "drool") || !text.is_string())
                    throw EditorialError(where(key) + ": only \"cool\" and \"drool\" texts");
                set("review_" + part, text);
            }
        } else if (key == "descriptors") {
            if (!value.is_object()) throw EditorialError(where(key) + ": must be an object");
            for (const auto& [name, v] : value.items()) set("descriptors." + name, v);
        } else {
            throw EditorialError(where(key) + ": unknown key");
        }
    }
    if (entry.source_id.empty()) throw EditorialError(where("source_id") + ": missing");
    return entry;
}

}  // namespace

EditorialReport apply_editorial(docstore::Store& store, const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw EditorialError(file.string() + ": cannot be read");
    Document items = Document::parse(in, nullptr, false);
    if (items.is_discarded() || !items.is_array())
        throw EditorialError(file.string() + ": not a JSON array of entries");

    auto& apps = store.collection(App::model().info().collection);
    std::vector<Entry> entries;
    std::vector<std::optional<Document>> stored;
    EditorialReport report;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Entry entry = parse_entry(items[i], i, file.string());
        auto doc = apps.find_one(docstore::field("source_id") == entry.source_id);
        if (doc) {
            // The App model's rules (choices, lengths) on the document as it would become.
            Document after = *doc;
            docstore::apply_update(entry.update, after);
            try {
                App::model().info().validate(after);
            } catch (const docstore::ValidationError& e) {
                throw EditorialError(file.string() + ": entry " + std::to_string(i + 1) + " (" +
                                     entry.source_id + "): " + e.what());
            }
        }
        stored.push_back(std::move(doc));
        entries.push_back(std::move(entry));
    }
    report.entries = static_cast<std::int64_t>(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!stored[i]) {
            report.missing.push_back(entries[i].source_id);
            continue;
        }
        bool same = true;
        for (const auto& [path, value] : entries[i].values) {
            const Document* now = docstore::find_path(*stored[i], path);
            same = same && now && docstore::values_equal(*now, value);
        }
        if (same) {
            ++report.unchanged;
            continue;
        }
        apps.update(docstore::field("source_id") == entries[i].source_id, entries[i].update, {});
        ++report.updated;
        if (auto id = stored[i]->find("_id"); id != stored[i]->end() && id->is_string())
            report.changed_ids.push_back(id->get<std::string>());
    }
    if (report.updated > 0) report.generation = bump_generation(store);
    return report;
}

}  // namespace famigo::apps::catalog
