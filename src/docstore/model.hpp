// Typed models: a C++ struct declares the collection it lives in, its fields
// with validation rules, embedded documents, lists, references by id with a
// delete rule, and its indexes, in one static `model()` function:
//
//   struct App {
//       std::string id, name, family_id;
//       double rating = 0;
//       std::vector<std::string> tags;
//       static const docstore::Model<App>& model() {
//           static const auto m = docstore::Model<App>("apps")
//               .field("name", &App::name, {.required = true, .max_length = 200})
//               .field("rating", &App::rating, {.min = 0, .max = 5})
//               .field("tags", &App::tags)
//               .reference("family", &App::family_id, "families", docstore::DeleteRule::Cascade)
//               .index("-rating,name");
//           return m;
//       }
//   };
//
// The member `id` (a std::string) is the document's _id when the struct has
// one. A field whose type has its own model() is an embedded document. Type
// mapping lives in Codec<T>; validation runs on the mapped document, so a
// ValidationError names the field path ("developer.email") and the rule.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "docstore/store.hpp"

namespace famigo::docstore {

enum class DeleteRule { DoNothing, Nullify, Cascade, Deny, Pull };

struct Rules {
    bool required = false;
    std::optional<Document> default_value;  // used when a stored document lacks the field
    std::vector<Document> choices;
    std::optional<double> min;
    std::optional<double> max;
    std::optional<std::size_t> min_length;  // characters of a string, elements of a list
    std::optional<std::size_t> max_length;
    std::string regex;  // a string must contain a match (anchor with ^...$)
    bool email = false;
    bool url = false;
    bool unique = false;  // a unique index on this field
};

struct ModelInfo;

struct FieldInfo {
    std::string name;
    Rules rules;
    const ModelInfo* embedded = nullptr;  // set for embedded documents and lists of them
    std::string references;               // collection referred to, for references
    DeleteRule on_delete = DeleteRule::DoNothing;
};

// What the registry, migrate and delete rules need to know of a model, free of
// its C++ type.
struct ModelInfo {
    std::string collection;  // empty for an embedded document type
    std::vector<FieldInfo> fields;
    std::vector<IndexSpec> indexes;
    // Throws ValidationError naming the first field that breaks a rule.
    void validate(const Document& doc, const std::string& prefix = "") const;
};

template <typename T>
concept HasModel = requires {
    T::model();
};

template <typename T, typename = void>
struct Codec {
    static Document encode(const T& value) { return Document(value); }
    static void decode(const Document& json, T& value) {
        try {
            value = json.get<T>();
        } catch (const nlohmann::json::exception&) {
            throw QueryError("stored value " + json.dump().substr(0, 60) +
                             " does not fit the field's type");
        }
    }
};

template <typename T>
struct Codec<std::optional<T>> {
    static Document encode(const std::optional<T>& value) {
        return value ? Codec<T>::encode(*value) : Document();
    }
    static void decode(const Document& json, std::optional<T>& value) {
        if (json.is_null()) {
            value.reset();
            return;
        }
        value.emplace();
        Codec<T>::decode(json, *value);
    }
};

template <typename T>
struct Codec<std::vector<T>> {
    static Document encode(const std::vector<T>& values) {
        Document out = Document::array();
        for (const auto& v : values) out.push_back(Codec<T>::encode(v));
        return out;
    }
    static void decode(const Document& json, std::vector<T>& values) {
        values.clear();
        if (json.is_null()) return;
        if (!json.is_array()) throw QueryError("stored value is not a list");
        for (const auto& item : json) Codec<T>::decode(item, values.emplace_back());
    }
};

template <HasModel T>
struct Codec<T> {
    static Document encode(const T& value) { return T::model().to_document(value); }
    static void decode(const Document& json, T& value) { value = T::model().from_document(json); }
};

template <typename T>
constexpr const ModelInfo* embedded_info() {
    if constexpr (HasModel<T>)
        return &T::model().info();
    else
        return nullptr;
}
template <typename T>
struct ElementOf {
    using type = T;
};
template <typename T>
struct ElementOf<std::vector<T>> {
    using type = T;
};
template <typename T>
struct ElementOf<std::optional<T>> {
    using type = typename ElementOf<T>::type;
};

template <typename T>
class Model {
  public:
    explicit Model(std::string collection) { info_.collection = std::move(collection); }

    template <typename V>
    Model&& field(std::string name, V T::*member, Rules rules = {}) && {
        add(std::move(name), member, std::move(rules),
            embedded_info<typename ElementOf<V>::type>());
        return std::move(*this);
    }
    // A reference by id (a string, or a list of strings) to a document of
    // `target`, with what happens to this document when that one is deleted.
    template <typename V>
    Model&& reference(std::string name, V T::*member, std::string target, DeleteRule on_delete,
                      Rules rules = {}) && {
        add(name, member, std::move(rules), nullptr);
        info_.fields.back().references = std::move(target);
        info_.fields.back().on_delete = on_delete;
        return std::move(*this);
    }
    // "category,-rating": a compound index, descending keys with '-'.
    Model&& index(std::string_view keys, bool unique = false) && {
        info_.indexes.push_back({"", parse_sort(keys), unique});
        return std::move(*this);
    }

    Document to_document(const T& object) const {
        Document doc = Document::object();
        if constexpr (requires { object.id; })
            if (!object.id.empty()) doc["_id"] = object.id;
        for (const auto& write : writers_) write(object, doc);
        return doc;
    }
    T from_document(const Document& doc) const {
        T object{};
        if constexpr (requires { object.id; })
            if (auto it = doc.find("_id"); it != doc.end() && it->is_string())
                object.id = it->template get<std::string>();
        for (const auto& read : readers_) read(doc, object);
        return object;
    }
    const ModelInfo& info() const { return info_; }

  private:
    template <typename V>
    void add(std::string name, V T::*member, Rules rules, const ModelInfo* embedded) {
        if (rules.unique) info_.indexes.push_back({"", {{name, false}}, true});
        std::optional<Document> fallback = rules.default_value;
        info_.fields.push_back({name, std::move(rules), embedded, {}, DeleteRule::DoNothing});
        writers_.push_back([name, member](const T& object, Document& doc) {
            Document value = Codec<V>::encode(object.*member);
            if (!value.is_null()) doc[name] = std::move(value);
        });
        readers_.push_back([name, member, fallback](const Document& doc, T& object) {
            auto it = doc.find(name);
            if (it != doc.end())
                Codec<V>::decode(*it, object.*member);
            else if (fallback)
                Codec<V>::decode(*fallback, object.*member);
        });
    }

    ModelInfo info_;
    std::vector<std::function<void(const T&, Document&)>> writers_;
    std::vector<std::function<void(const Document&, T&)>> readers_;
};

// The models an application knows, registered explicitly at start-up (apps add
// theirs; `famigo migrate` creates their collections and indexes).
class ModelRegistry {
  public:
    template <HasModel T>
    ModelRegistry& add() {
        return add(T::model().info());
    }
    ModelRegistry& add(const ModelInfo& info);
    const std::vector<const ModelInfo*>& models() const { return models_; }
    const ModelInfo* find(std::string_view collection) const;

  private:
    std::vector<const ModelInfo*> models_;
};

// Creates every registered model's collection and indexes; idempotent. Writes
// one line per index to `log` when given.
void migrate(Store& store, const ModelRegistry& registry, std::ostream* log = nullptr);

// Deletes the matches in `collection` after applying the delete rules of every
// registered reference to them: DENY refuses (DeleteDenied) before anything
// changes; NULLIFY unsets the reference; PULL removes the id from a list;
// CASCADE deletes the referring documents (with their own rules). Returns how
// many documents of `collection` were deleted. Not one transaction across
// collections: a crash midway can leave the rules half applied.
std::int64_t delete_with_rules(Store& store, const ModelRegistry* registry,
                               const std::string& collection, const Filter& filter);

}  // namespace famigo::docstore
