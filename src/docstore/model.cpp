#include "docstore/model.hpp"

#include <ostream>
#include <regex>
#include <set>
#include <unordered_map>

namespace famigo::docstore {
namespace {

// A rule's regex, compiled once per thread: building a std::regex costs far
// more than matching it (an import validating 18k documents spent most of its
// time here). Patterns come from model declarations, so the cache stays small.
const std::regex& compiled(const std::string& pattern) {
    thread_local std::unordered_map<std::string, std::regex> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern)).first;
    return it->second;
}

std::size_t characters(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool is_email(const std::string& text) {
    static const std::regex pattern(
        R"(^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$)");
    return text.size() <= 254 && std::regex_match(text, pattern);
}

bool is_url(const std::string& text) {
    static const std::regex pattern(
        R"(^(https?|ftp)://([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?([/?#][^\s]*)?$)",
        std::regex::icase);
    return text.size() <= 2048 && std::regex_match(text, pattern);
}

bool is_empty(const Document& v) {
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
           (v.is_array() && v.empty());
}

void check_value(const std::string& path, const Rules& rules, const Document& v) {
    auto fail = [&](const char* rule, const std::string& detail) {
        throw ValidationError(path, rule, detail);
    };
    if (!rules.choices.empty()) {
        bool found = false;
        for (const auto& choice : rules.choices) found = found || values_equal(choice, v);
        if (!found) fail("choices", "value " + v.dump() + " is not one of the allowed choices");
    }
    if (v.is_number()) {
        double x = v.get<double>();
        if (rules.min && x < *rules.min)
            fail("min", v.dump() + " is below " + Document(*rules.min).dump());
        if (rules.max && x > *rules.max)
            fail("max", v.dump() + " is above " + Document(*rules.max).dump());
    }
    if (v.is_string()) {
        const auto& text = v.get_ref<const std::string&>();
        std::size_t n = characters(text);
        if (rules.max_length && n > *rules.max_length)
            fail("max_length", std::to_string(n) + " characters, at most " +
                                   std::to_string(*rules.max_length) + " allowed");
        if (rules.min_length && n < *rules.min_length)
            fail("min_length", std::to_string(n) + " characters, at least " +
                                   std::to_string(*rules.min_length) + " needed");
        if (!rules.regex.empty() && !std::regex_search(text, compiled(rules.regex)))
            fail("regex", "does not match " + rules.regex);
        if (rules.email && !is_email(text)) fail("email", "'" + text + "' is not an email address");
        if (rules.url && !is_url(text)) fail("url", "'" + text + "' is not an http(s) or ftp URL");
    }
}

}  // namespace

void ModelInfo::validate(const Document& doc, const std::string& prefix) const {
    if (!doc.is_object())
        throw ValidationError(prefix.empty() ? "(document)" : prefix, "type", "not a document");
    for (const auto& field : fields) {
        std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
        auto it = doc.find(field.name);
        if (it == doc.end() || is_empty(*it)) {
            if (field.rules.required)
                throw ValidationError(path, "required", "a value is required");
            continue;
        }
        const Document& v = *it;
        if (v.is_array()) {
            if (field.rules.max_length && v.size() > *field.rules.max_length)
                throw ValidationError(path, "max_length",
                                      std::to_string(v.size()) + " elements, at most " +
                                          std::to_string(*field.rules.max_length) + " allowed");
            if (field.rules.min_length && v.size() < *field.rules.min_length)
                throw ValidationError(path, "min_length",
                                      std::to_string(v.size()) + " elements, at least " +
                                          std::to_string(*field.rules.min_length) + " needed");
            Rules element_rules = field.rules;
            element_rules.max_length = element_rules.min_length = std::nullopt;
            for (std::size_t i = 0; i < v.size(); ++i) {
                std::string at = path + "." + std::to_string(i);
                if (field.embedded)
                    field.embedded->validate(v[i], at);
                else
                    check_value(at, element_rules, v[i]);
            }
        } else if (field.embedded) {
            field.embedded->validate(v, path);
        } else {
            check_value(path, field.rules, v);
        }
    }
}

ModelRegistry& ModelRegistry::add(const ModelInfo& info) {
    if (info.collection.empty())
        throw StoreError("an embedded document type has no collection to register");
    check_collection_name(info.collection);
    for (const auto* known : models_)
        if (known->collection == info.collection) {
            if (known == &info) return *this;
            throw StoreError("two models use the collection '" + info.collection + "'");
        }
    models_.push_back(&info);
    return *this;
}

const ModelInfo* ModelRegistry::find(std::string_view collection) const {
    for (const auto* info : models_)
        if (info->collection == collection) return info;
    return nullptr;
}

void migrate(Store& store, const ModelRegistry& registry, std::ostream* log) {
    for (const auto* info : registry.models()) {
        Collection& collection = store.collection(info->collection);
        if (log) *log << "collection " << info->collection << "\n";
        for (const auto& spec : info->indexes) {
            collection.create_index(spec);
            if (log)
                *log << "  index " << index_name(spec) << (spec.unique ? " (unique)" : "") << "\n";
        }
    }
}

namespace {

struct Referrer {
    const ModelInfo* model;
    const FieldInfo* field;
};

std::int64_t delete_recursive(Store& store, const ModelRegistry* registry,
                              const std::string& collection, const Filter& filter, int depth) {
    if (depth > 16)
        throw DeleteDenied("delete rules cascade more than 16 levels deep (a reference cycle?)");
    Collection& target = store.collection(collection);
    if (!registry) return target.remove(filter);
    std::vector<Referrer> referrers;
    for (const auto* model : registry->models())
        for (const auto& field : model->fields)
            if (field.references == collection && field.on_delete != DeleteRule::DoNothing)
                referrers.push_back({model, &field});
    if (referrers.empty()) return target.remove(filter);

    FindOptions only_ids;
    only_ids.projection.only = {"_id"};
    std::vector<Document> ids;
    for (auto& doc : target.find(filter, only_ids)) ids.push_back(doc["_id"]);
    if (ids.empty()) return 0;
    // Every DENY is checked before anything changes.
    for (const auto& r : referrers) {
        if (r.field->on_delete != DeleteRule::Deny) continue;
        auto n = store.collection(r.model->collection).count(field(r.field->name).in(ids));
        if (n > 0)
            throw DeleteDenied("cannot delete from '" + collection + "': " + std::to_string(n) +
                               " document(s) of '" + r.model->collection +
                               "' refer to it through '" + r.field->name + "' (rule deny)");
    }
    for (const auto& r : referrers) {
        Filter refers = field(r.field->name).in(ids);
        Collection& other = store.collection(r.model->collection);
        switch (r.field->on_delete) {
            case DeleteRule::Nullify:
                other.update(refers, Update().unset(r.field->name));
                break;
            case DeleteRule::Pull:
                other.update(refers, Update().pull_all(r.field->name, ids));
                break;
            case DeleteRule::Cascade:
                delete_recursive(store, registry, r.model->collection, refers, depth + 1);
                break;
            default:
                break;
        }
    }
    return target.remove(field("_id").in(ids));
}

}  // namespace

std::int64_t delete_with_rules(Store& store, const ModelRegistry* registry,
                               const std::string& collection, const Filter& filter) {
    return delete_recursive(store, registry, collection, filter, 0);
}

}  // namespace famigo::docstore
