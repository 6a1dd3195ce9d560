// Internal to the MongoDB backend: the Store and Collection implementations
// over libmongoc, and the small BSON helpers they share. A client pool serves
// every thread; each operation pops a client and pushes it back. Documents
// cross as JSON: nlohmann -> BSON with libbson's JSON reader, BSON -> JSON as
// relaxed extended JSON (plain JSON for the values our documents hold).
#pragma once

#include <mongoc/mongoc.h>

#include <map>
#include <mutex>

#include "docstore/store.hpp"

namespace famigo::docstore::mongo {

// An owned bson_t.
class Bson {
  public:
    Bson() { bson_init(&doc_); }
    explicit Bson(const Document& json);
    ~Bson() { bson_destroy(&doc_); }
    Bson(const Bson&) = delete;
    Bson& operator=(const Bson&) = delete;
    bson_t* get() { return &doc_; }
    const bson_t* get() const { return &doc_; }

  private:
    bson_t doc_;
};

Document to_json(const bson_t* doc);
// Throws the StoreError that fits a libmongoc error (DuplicateKey for 11000).
[[noreturn]] void fail(const bson_error_t& error, std::string_view what);
// A document of keys in the given order ({"a": 1, "b": -1}): sort and index keys.
void append_keys(bson_t* out, const char* name, const std::vector<SortKey>& keys);

class MongoStore;

// A client popped from the pool for the length of one operation.
class Client {
  public:
    explicit Client(MongoStore& store);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    mongoc_client_t* get() const { return client_; }

  private:
    mongoc_client_pool_t* pool_;
    mongoc_client_t* client_;
};

class MongoCollection final : public Collection {
  public:
    MongoCollection(MongoStore& store, std::string name);
    const std::string& name() const override { return name_; }
    std::string insert(Document doc) override;
    std::vector<std::string> insert_many(std::vector<Document> docs) override;
    void scan(const Filter& filter, const FindOptions& options,
              const std::function<bool(Document&&)>& each) override;
    std::int64_t count(const Filter& filter) override;
    UpdateResult update(const Filter& filter, const Update& update, UpdateOptions options) override;
    std::optional<Document> find_and_modify(const Filter& filter, const Update& update,
                                            const FindAndModifyOptions& options) override;
    bool replace(const std::string& id, Document doc) override;
    std::int64_t remove(const Filter& filter) override;
    void create_index(const IndexSpec& spec) override;
    std::vector<IndexSpec> indexes() override;
    void drop() override;

  private:
    void ensure_exists();
    void scan_server(const Filter& filter, const FindOptions& options,
                     const std::function<bool(Document&&)>& each);
    // Whether the server cannot run `filter` itself (see client_side.hpp).
    bool client_side(const Filter& filter);
    // The ids of the exact matches of `filter`, in `sort` order, checked in process.
    std::vector<Document> matching_ids(const Filter& filter, const std::vector<SortKey>& sort);
    UpdateResult update_on_server(const Filter& query, const Filter& seed, const Update& update,
                                  UpdateOptions options);
    std::optional<Document> modify_on_server(const Filter& query, const Filter& seed,
                                             const Update& update,
                                             const FindAndModifyOptions& options);

    MongoStore& store_;
    std::string name_;
};

class MongoStore final : public Store {
  public:
    explicit MongoStore(const StoreOptions& options);
    ~MongoStore() override;
    std::string_view backend() const override { return "mongodb"; }
    Collection& collection(std::string_view name) override;
    std::vector<std::string> collection_names() override;
    void ping() override;
    void backup(const std::filesystem::path& dest, const Progress& progress) override;
    void restore(const std::filesystem::path& src, const Progress& progress, bool force) override;

    mongoc_client_pool_t* pool() { return pool_; }
    // True when the server is FerretDB (asked once with buildInfo).
    bool ferretdb();
    const std::string& database() const { return database_; }

  private:
    mongoc_uri_t* uri_ = nullptr;
    mongoc_client_pool_t* pool_ = nullptr;
    std::string database_;
    std::mutex mutex_;
    std::optional<bool> ferretdb_;
    std::map<std::string, std::unique_ptr<MongoCollection>, std::less<>> collections_;
};

}  // namespace famigo::docstore::mongo
