// Typed access to a model's collection, MongoEngine's `App.objects(...)` in
// C++: Objects<App>(store).where(field("rating") >= 4).order_by("-rating,name")
// .limit(20).all(). Writes validate against the model's rules first; deletes
// apply the registered reference rules when a ModelRegistry is given.
#pragma once

#include "docstore/model.hpp"

namespace famigo::docstore {

template <HasModel T>
class QuerySet {
  public:
    QuerySet(Store& store, const ModelRegistry* registry, Filter filter)
        : store_(&store), registry_(registry), filter_(std::move(filter)) {}

    QuerySet where(Filter more) const {
        return with([&](QuerySet& q) { q.filter_ = q.filter_ && std::move(more); });
    }
    QuerySet order_by(std::string_view keys) const {
        return with([&](QuerySet& q) { q.options_.sort = parse_sort(keys); });
    }
    QuerySet skip(std::int64_t n) const {
        return with([&](QuerySet& q) { q.options_.skip = n; });
    }
    QuerySet limit(std::int64_t n) const {
        return with([&](QuerySet& q) { q.options_.limit = n; });
    }
    QuerySet only(std::vector<std::string> paths) const {
        return with([&](QuerySet& q) { q.options_.projection.only = std::move(paths); });
    }
    QuerySet exclude(std::vector<std::string> paths) const {
        return with([&](QuerySet& q) { q.options_.projection.exclude = std::move(paths); });
    }

    std::vector<T> all() const {
        std::vector<T> out;
        collection().scan(filter_, options_, [&](Document&& doc) {
            out.push_back(T::model().from_document(doc));
            return true;
        });
        return out;
    }
    std::vector<Document> documents() const { return collection().find(filter_, options_); }
    std::optional<T> first() const {
        auto doc = collection().find_one(filter_, options_);
        if (!doc) return std::nullopt;
        return T::model().from_document(*doc);
    }
    // The one match, nullopt for none; MultipleObjects when there are several.
    std::optional<T> get() const {
        FindOptions two = options_;
        two.limit = 2;
        auto docs = collection().find(filter_, two);
        if (docs.size() > 1)
            throw MultipleObjects("more than one document of '" + T::model().info().collection +
                                  "' matches");
        if (docs.empty()) return std::nullopt;
        return T::model().from_document(docs.front());
    }
    std::int64_t count() const { return collection().count(filter_); }
    std::vector<Document> distinct(const std::string& path) const {
        return collection().distinct(path, filter_);
    }
    UpdateResult update(const Update& update, bool upsert = false) const {
        return collection().update(filter_, update, {.multi = true, .upsert = upsert});
    }
    UpdateResult update_one(const Update& update, bool upsert = false) const {
        return collection().update(filter_, update, {.multi = false, .upsert = upsert});
    }
    // Find-and-modify on the first match (in order_by order).
    std::optional<T> modify(const Update& update, bool return_new = true,
                            bool upsert = false) const {
        auto doc =
            collection().find_and_modify(filter_, update, {options_.sort, upsert, return_new});
        if (!doc) return std::nullopt;
        return T::model().from_document(*doc);
    }
    std::int64_t remove() const {
        return delete_with_rules(*store_, registry_, T::model().info().collection, filter_);
    }

  private:
    template <typename Change>
    QuerySet with(Change&& change) const {
        QuerySet copy = *this;
        change(copy);
        return copy;
    }
    Collection& collection() const { return store_->collection(T::model().info().collection); }

    Store* store_;
    const ModelRegistry* registry_;
    Filter filter_;
    FindOptions options_;
};

template <HasModel T>
class Objects {
  public:
    explicit Objects(Store& store, const ModelRegistry* registry = nullptr)
        : store_(store), registry_(registry) {}

    QuerySet<T> all() const { return {store_, registry_, Filter()}; }
    QuerySet<T> where(Filter filter) const { return {store_, registry_, std::move(filter)}; }
    std::optional<T> get(const std::string& id) const { return where(field("_id") == id).first(); }

    // Validates, inserts and sets object.id. DuplicateKey, ValidationError.
    std::string insert(T& object) const {
        Document doc = checked(object);
        object.id = collection().insert(std::move(doc));
        return object.id;
    }
    std::vector<std::string> insert_many(std::vector<T>& objects) const {
        std::vector<Document> docs;
        for (auto& object : objects) docs.push_back(checked(object));
        auto ids = collection().insert_many(std::move(docs));
        for (std::size_t i = 0; i < ids.size(); ++i) objects[i].id = ids[i];
        return ids;
    }
    // Inserts a new object or replaces the stored one with the same id.
    void save(T& object) const {
        Document doc = checked(object);
        if (object.id.empty() || !collection().replace(object.id, doc))
            object.id = collection().insert(std::move(doc));
    }
    // Deletes the object, applying the reference rules.
    bool remove(const T& object) const { return where(field("_id") == object.id).remove() > 0; }

    Collection& collection() const { return store_.collection(T::model().info().collection); }

  private:
    Document checked(const T& object) const {
        Document doc = T::model().to_document(object);
        T::model().info().validate(doc);
        return doc;
    }
    Store& store_;
    const ModelRegistry* registry_;
};

}  // namespace famigo::docstore
