#include "docstore/mongo/mongo_store.hpp"

#include <mutex>

#include "docstore/backends.hpp"
#include "docstore/export.hpp"

namespace famigo::docstore {

std::unique_ptr<Store> open_mongo_store(const StoreOptions& options) {
    return std::make_unique<mongo::MongoStore>(options);
}

namespace mongo {

Client::Client(MongoStore& store)
    : pool_(store.pool()), client_(mongoc_client_pool_pop(store.pool())) {}
Client::~Client() {
    mongoc_client_pool_push(pool_, client_);
}

MongoStore::MongoStore(const StoreOptions& options) {
    static std::once_flag once;
    std::call_once(once, [] {
        mongoc_init();
        // Servers without sessions (FerretDB) make the driver warn at every
        // client shutdown; that warning says nothing an operator can act on.
        mongoc_log_set_handler(
            [](mongoc_log_level_t level, const char* domain, const char* message, void* data) {
                if (std::string_view(message).find("endSessions") != std::string_view::npos) return;
                mongoc_log_default_handler(level, domain, message, data);
            },
            nullptr);
    });
    bson_error_t error;
    uri_ = mongoc_uri_new_with_error(options.url.c_str(), &error);
    if (!uri_) throw StoreError("store.url '" + options.url + "': " + error.message);
    const char* database = mongoc_uri_get_database(uri_);
    database_ = database && *database ? database : "famigo";
    // Timeouts from store.timeout unless the URL sets its own.
    auto ms = std::int32_t(options.timeout.count());
    for (const char* option : {MONGOC_URI_SERVERSELECTIONTIMEOUTMS, MONGOC_URI_CONNECTTIMEOUTMS,
                               MONGOC_URI_SOCKETTIMEOUTMS})
        if (mongoc_uri_get_option_as_int32(uri_, option, -1) == -1)
            mongoc_uri_set_option_as_int32(uri_, option, ms);
    if (!mongoc_uri_get_write_concern(uri_) ||
        !mongoc_write_concern_is_default(mongoc_uri_get_write_concern(uri_))) {
        // The URL chose its own write concern (w=..., journal=...): keep it.
    } else {
        mongoc_write_concern_t* concern = mongoc_write_concern_new();
        if (options.write_concern == "majority")
            mongoc_write_concern_set_wmajority(concern, ms);
        else
            mongoc_write_concern_set_w(concern, std::int32_t(std::stoi(options.write_concern)));
        mongoc_write_concern_set_journal(concern, options.journal);
        mongoc_uri_set_write_concern(uri_, concern);
        mongoc_write_concern_destroy(concern);
    }
    pool_ = mongoc_client_pool_new(uri_);
    if (!pool_) {
        mongoc_uri_destroy(uri_);
        throw StoreError("store.url '" + options.url + "': cannot make a client pool");
    }
    mongoc_client_pool_set_error_api(pool_, MONGOC_ERROR_API_VERSION_2);
    mongoc_client_pool_set_appname(pool_, "famigo");
}

MongoStore::~MongoStore() {
    collections_.clear();
    mongoc_client_pool_destroy(pool_);
    mongoc_uri_destroy(uri_);
}

Collection& MongoStore::collection(std::string_view name) {
    check_collection_name(name);
    std::lock_guard lock(mutex_);
    auto it = collections_.find(name);
    if (it == collections_.end())
        it = collections_
                 .emplace(std::string(name),
                          std::make_unique<MongoCollection>(*this, std::string(name)))
                 .first;
    return *it->second;
}

std::vector<std::string> MongoStore::collection_names() {
    Client client(*this);
    mongoc_database_t* db = mongoc_client_get_database(client.get(), database_.c_str());
    bson_error_t error;
    char** names = mongoc_database_get_collection_names_with_opts(db, nullptr, &error);
    mongoc_database_destroy(db);
    if (!names) fail(error, "list collections");
    std::vector<std::string> out;
    for (char** name = names; *name; ++name) out.emplace_back(*name);
    bson_strfreev(names);
    std::sort(out.begin(), out.end());
    return out;
}

void MongoStore::ping() {
    Client client(*this);
    bson_t command = BSON_INITIALIZER;
    bson_append_int32(&command, "ping", -1, 1);
    bson_t reply;
    bson_error_t error;
    bool ok =
        mongoc_client_command_simple(client.get(), "admin", &command, nullptr, &reply, &error);
    bson_destroy(&command);
    bson_destroy(&reply);
    if (!ok) fail(error, "ping");
}

bool MongoStore::ferretdb() {
    {
        std::lock_guard lock(mutex_);
        if (ferretdb_) return *ferretdb_;
    }
    Client client(*this);
    bson_t command = BSON_INITIALIZER;
    bson_append_int32(&command, "buildInfo", -1, 1);
    bson_t reply;
    bson_error_t error;
    bool ok =
        mongoc_client_command_simple(client.get(), "admin", &command, nullptr, &reply, &error);
    bson_destroy(&command);
    bson_iter_t it;
    bool found = ok && bson_iter_init_find(&it, &reply, "ferretdbVersion");
    bson_destroy(&reply);
    if (!ok) fail(error, "buildInfo");
    std::lock_guard lock(mutex_);
    ferretdb_ = found;
    return found;
}

void MongoStore::backup(const std::filesystem::path& dest, const Progress& progress) {
    export_store(*this, dest, progress);
}

void MongoStore::restore(const std::filesystem::path& src, const Progress& progress, bool force) {
    import_store(*this, src, progress, force);
}

}  // namespace mongo
}  // namespace famigo::docstore
