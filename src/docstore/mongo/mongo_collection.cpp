#include "docstore/mongo/client_side.hpp"
#include "docstore/mongo/mongo_store.hpp"
#include "docstore/query_tools.hpp"

namespace famigo::docstore::mongo {
namespace {

// A collection handle on a pooled client, both released together.
struct Handle {
    Client client;
    mongoc_collection_t* collection;
    Handle(MongoStore& store, const std::string& name)
        : client(store),
          collection(
              mongoc_client_get_collection(client.get(), store.database().c_str(), name.c_str())) {}
    ~Handle() { mongoc_collection_destroy(collection); }
};

// A reply document, destroyed on scope exit.
struct Reply {
    bson_t doc = BSON_INITIALIZER;
    ~Reply() { bson_destroy(&doc); }
    std::int64_t number(const char* key) const {
        bson_iter_t it;
        return bson_iter_init_find(&it, &doc, key) ? bson_iter_as_int64(&it) : 0;
    }
};

// The id an upsert gets: the one the query fixes, else a new one.
std::string insert_id_for(const Filter& query) {
    if (query.kind() == Filter::Kind::Condition && query.op() == Op::Eq && query.path() == "_id" &&
        query.value().is_string())
        return query.value().get<std::string>();
    return new_id();
}

void append_projection(bson_t* opts, const Projection& projection) {
    // Dotted keys, as MongoDB takes them; a path listed twice counts once.
    Document spec = Document::object();
    for (const auto& path : projection.only) spec[path] = 1;
    for (const auto& path : projection.exclude) spec[path] = 0;
    bson_t child;
    bson_append_document_begin(opts, "projection", -1, &child);
    for (auto it = spec.begin(); it != spec.end(); ++it)
        bson_append_int32(&child, it.key().c_str(), -1, it.value().get<int>());
    bson_append_document_end(opts, &child);
}

}  // namespace

MongoCollection::MongoCollection(MongoStore& store, std::string name)
    : store_(store), name_(std::move(name)) {
    ensure_exists();
}

void MongoCollection::ensure_exists() {
    Client client(store_);
    mongoc_database_t* db = mongoc_client_get_database(client.get(), store_.database().c_str());
    bson_error_t error;
    mongoc_collection_t* made =
        mongoc_database_create_collection(db, name_.c_str(), nullptr, &error);
    mongoc_database_destroy(db);
    if (made) {
        mongoc_collection_destroy(made);
    } else if (error.code != 48) {  // 48: NamespaceExists, which is fine
        fail(error, "create collection '" + name_ + "'");
    }
}

std::string MongoCollection::insert(Document doc) {
    std::string id = prepare_document_id(doc);
    Bson bson(doc);
    Handle h(store_, name_);
    bson_error_t error;
    if (!mongoc_collection_insert_one(h.collection, bson.get(), nullptr, nullptr, &error))
        fail(error, "insert");
    return id;
}

std::vector<std::string> MongoCollection::insert_many(std::vector<Document> docs) {
    std::vector<std::string> ids;
    if (docs.empty()) return ids;
    std::vector<std::unique_ptr<Bson>> owned;
    // bson_t is declared over-aligned; g++ warns that the vector's element type
    // drops that attribute, which means nothing for a pointer (and would fail
    // FAMIGO_WERROR builds).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
    std::vector<const bson_t*> pointers;
#pragma GCC diagnostic pop
    for (auto& doc : docs) {
        ids.push_back(prepare_document_id(doc));
        owned.push_back(std::make_unique<Bson>(doc));
        pointers.push_back(owned.back()->get());
    }
    Handle h(store_, name_);
    bson_error_t error;
    if (!mongoc_collection_insert_many(h.collection, pointers.data(), pointers.size(), nullptr,
                                       nullptr, &error))
        fail(error, "insert_many");
    return ids;
}

bool MongoCollection::client_side(const Filter& filter) {
    return has_document_elem_match(filter) && store_.ferretdb();
}

void MongoCollection::scan(const Filter& filter, const FindOptions& options,
                           const std::function<bool(Document&&)>& each) {
    check_projection(options.projection);
    if (!client_side(filter)) return scan_server(filter, options, each);
    if (options.skip < 0) throw QueryError("skip must not be negative");
    FindOptions server;
    server.sort = options.sort;
    std::int64_t skipped = 0, taken = 0;
    std::int64_t limit = options.limit && *options.limit > 0 ? *options.limit : -1;
    if (limit == 0) return;
    scan_server(relax(filter), server, [&](Document&& doc) {
        if (!matches(filter, doc)) return true;
        if (skipped < options.skip) {
            ++skipped;
            return true;
        }
        ++taken;
        return each(apply_projection(std::move(doc), options.projection)) && taken != limit;
    });
}

std::vector<Document> MongoCollection::matching_ids(const Filter& filter,
                                                    const std::vector<SortKey>& sort) {
    std::vector<Document> ids;
    FindOptions options;
    options.sort = sort;
    scan(filter, options, [&](Document&& doc) {
        ids.push_back(doc["_id"]);
        return true;
    });
    return ids;
}

void MongoCollection::scan_server(const Filter& filter, const FindOptions& options,
                                  const std::function<bool(Document&&)>& each) {
    if (options.skip < 0) throw QueryError("skip must not be negative");
    Bson query(to_mongo(filter));
    Bson opts;
    if (!options.sort.empty()) append_keys(opts.get(), "sort", options.sort);
    if (options.skip > 0) bson_append_int64(opts.get(), "skip", -1, options.skip);
    if (options.limit && *options.limit > 0)
        bson_append_int64(opts.get(), "limit", -1, *options.limit);
    if (!options.projection.empty()) append_projection(opts.get(), options.projection);
    Handle h(store_, name_);
    mongoc_cursor_t* cursor =
        mongoc_collection_find_with_opts(h.collection, query.get(), opts.get(), nullptr);
    const bson_t* doc = nullptr;
    bool more = true;
    try {
        while (more && mongoc_cursor_next(cursor, &doc)) more = each(to_json(doc));
    } catch (...) {
        mongoc_cursor_destroy(cursor);
        throw;
    }
    bson_error_t error;
    bool failed = more && mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed) fail(error, "find");
}

std::int64_t MongoCollection::count(const Filter& filter) {
    if (client_side(filter)) return std::int64_t(matching_ids(filter, {}).size());
    Bson query(to_mongo(filter));
    Handle h(store_, name_);
    bson_error_t error;
    std::int64_t n = mongoc_collection_count_documents(h.collection, query.get(), nullptr, nullptr,
                                                       nullptr, &error);
    if (n < 0) fail(error, "count");
    return n;
}

UpdateResult MongoCollection::update(const Filter& filter, const Update& update,
                                     UpdateOptions options) {
    if (update.empty()) throw QueryError("update: nothing to change");
    Bson query(to_mongo(filter));
    Bson change(options.upsert ? to_mongo_upsert(update, filter, new_id()) : to_mongo(update));
    Bson opts;
    if (options.upsert) bson_append_bool(opts.get(), "upsert", -1, true);
    Handle h(store_, name_);
    Reply reply;
    bson_error_t error;
    bool ok = options.multi ? mongoc_collection_update_many(h.collection, query.get(), change.get(),
                                                            opts.get(), &reply.doc, &error)
                            : mongoc_collection_update_one(h.collection, query.get(), change.get(),
                                                           opts.get(), &reply.doc, &error);
    if (!ok) fail(error, "update");
    UpdateResult result;
    result.matched = reply.number("matchedCount");
    result.modified = reply.number("modifiedCount");
    bson_iter_t it;
    if (bson_iter_init_find(&it, &reply.doc, "upsertedId") && BSON_ITER_HOLDS_UTF8(&it))
        result.upserted_id = bson_iter_utf8(&it, nullptr);
    return result;
}

std::optional<Document> MongoCollection::find_and_modify(const Filter& filter, const Update& update,
                                                         const FindAndModifyOptions& options) {
    if (update.empty()) throw QueryError("find_and_modify: nothing to change");
    if (!client_side(filter)) return modify_on_server(filter, filter, update, options);
    auto ids = matching_ids(filter, options.sort);
    return modify_on_server(field("_id") == (ids.empty() ? Document(new_id()) : ids.front()),
                            filter, update, options);
}

std::optional<Document> MongoCollection::modify_on_server(const Filter& filter, const Filter& seed,
                                                          const Update& update,
                                                          const FindAndModifyOptions& options) {
    Bson query(to_mongo(filter));
    Bson change(options.upsert ? to_mongo_upsert(update, seed, insert_id_for(filter))
                               : to_mongo(update));
    mongoc_find_and_modify_opts_t* opts = mongoc_find_and_modify_opts_new();
    mongoc_find_and_modify_opts_set_update(opts, change.get());
    int flags = MONGOC_FIND_AND_MODIFY_NONE;
    if (options.upsert) flags |= MONGOC_FIND_AND_MODIFY_UPSERT;
    if (options.return_new) flags |= MONGOC_FIND_AND_MODIFY_RETURN_NEW;
    mongoc_find_and_modify_opts_set_flags(opts, mongoc_find_and_modify_flags_t(flags));
    Bson sort;
    if (!options.sort.empty()) {
        for (const auto& key : options.sort)
            bson_append_int32(sort.get(), key.path.c_str(), -1, key.descending ? -1 : 1);
        mongoc_find_and_modify_opts_set_sort(opts, sort.get());
    }
    Handle h(store_, name_);
    Reply reply;
    bson_error_t error;
    bool ok = mongoc_collection_find_and_modify_with_opts(h.collection, query.get(), opts,
                                                          &reply.doc, &error);
    mongoc_find_and_modify_opts_destroy(opts);
    if (!ok) fail(error, "find_and_modify");
    bson_iter_t it;
    if (!bson_iter_init_find(&it, &reply.doc, "value") || !BSON_ITER_HOLDS_DOCUMENT(&it))
        return std::nullopt;
    std::uint32_t length = 0;
    const std::uint8_t* data = nullptr;
    bson_iter_document(&it, &length, &data);
    bson_t value;
    if (!bson_init_static(&value, data, length)) return std::nullopt;
    return to_json(&value);
}

bool MongoCollection::replace(const std::string& id, Document doc) {
    if (!doc.is_object()) throw QueryError("a document must be a JSON object");
    doc["_id"] = id;
    check_document_keys(doc);
    Bson query(Document{{"_id", id}});
    Bson bson(doc);
    Handle h(store_, name_);
    Reply reply;
    bson_error_t error;
    if (!mongoc_collection_replace_one(h.collection, query.get(), bson.get(), nullptr, &reply.doc,
                                       &error))
        fail(error, "replace");
    return reply.number("matchedCount") > 0;
}

std::int64_t MongoCollection::remove(const Filter& filter) {
    if (client_side(filter)) {
        auto ids = matching_ids(filter, {});
        return ids.empty() ? 0 : remove(field("_id").in(ids));
    }
    Bson query(to_mongo(filter));
    Handle h(store_, name_);
    Reply reply;
    bson_error_t error;
    if (!mongoc_collection_delete_many(h.collection, query.get(), nullptr, &reply.doc, &error))
        fail(error, "delete");
    return reply.number("deletedCount");
}

void MongoCollection::create_index(const IndexSpec& spec) {
    if (spec.keys.empty()) throw QueryError("an index needs at least one key");
    std::string name = index_name(spec);
    for (const auto& existing : indexes()) {
        if (existing.name != name) continue;
        IndexSpec wanted = spec;
        wanted.name = name;
        if (existing == wanted) return;
        throw QueryError("index '" + name + "' already exists with other keys or options");
    }
    bson_t command = BSON_INITIALIZER;
    bson_t list, index;
    bson_append_utf8(&command, "createIndexes", -1, name_.c_str(), -1);
    bson_append_array_begin(&command, "indexes", -1, &list);
    bson_append_document_begin(&list, "0", -1, &index);
    append_keys(&index, "key", spec.keys);
    bson_append_utf8(&index, "name", -1, name.c_str(), -1);
    if (spec.unique) bson_append_bool(&index, "unique", -1, true);
    bson_append_document_end(&list, &index);
    bson_append_array_end(&command, &list);
    Client client(store_);
    mongoc_database_t* db = mongoc_client_get_database(client.get(), store_.database().c_str());
    Reply reply;
    bson_error_t error;
    bool ok = mongoc_database_write_command_with_opts(db, &command, nullptr, &reply.doc, &error);
    mongoc_database_destroy(db);
    bson_destroy(&command);
    if (!ok) fail(error, "create index '" + name + "'");
}

std::vector<IndexSpec> MongoCollection::indexes() {
    Handle h(store_, name_);
    mongoc_cursor_t* cursor = mongoc_collection_find_indexes_with_opts(h.collection, nullptr);
    std::vector<IndexSpec> out;
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor, &doc)) {
        IndexSpec spec;
        bson_iter_t it, keys;
        if (bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it))
            spec.name = bson_iter_utf8(&it, nullptr);
        if (spec.name == "_id_") continue;
        if (bson_iter_init_find(&it, doc, "unique")) spec.unique = bson_iter_as_bool(&it);
        if (bson_iter_init_find(&it, doc, "key") && bson_iter_recurse(&it, &keys))
            while (bson_iter_next(&keys))
                spec.keys.push_back({bson_iter_key(&keys), bson_iter_as_int64(&keys) < 0});
        out.push_back(std::move(spec));
    }
    bson_error_t error;
    bool failed = mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed && error.code != 26) fail(error, "list indexes");  // 26: no such collection yet
    std::sort(out.begin(), out.end(),
              [](const IndexSpec& a, const IndexSpec& b) { return a.name < b.name; });
    return out;
}

void MongoCollection::drop() {
    {
        Handle h(store_, name_);
        bson_error_t error;
        if (!mongoc_collection_drop_with_opts(h.collection, nullptr, &error) && error.code != 26)
            fail(error, "drop");
    }
    ensure_exists();
}

}  // namespace famigo::docstore::mongo
