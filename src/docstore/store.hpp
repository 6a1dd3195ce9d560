// The document store interface: a Store holds named Collections of JSON
// documents; a Collection inserts, finds (filter, sort, skip/limit, projection),
// counts, updates atomically, deletes and declares indexes. Backends are picked
// by URL (sqlite:///abs/path, sqlite://rel/path, mongodb://host:port/db) in
// open_store(); their drivers stay inside src/docstore/<backend>/. Every method
// is safe to call from several threads; collections live as long as their store.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docstore/errors.hpp"
#include "docstore/filter.hpp"
#include "docstore/update.hpp"
#include "docstore/value.hpp"

namespace famigo::docstore {

struct SortKey {
    std::string path;
    bool descending = false;
    bool operator==(const SortKey&) const = default;
};
// "name,-rating" -> name ascending, rating descending. Throws QueryError.
std::vector<SortKey> parse_sort(std::string_view text);

// Either the paths to keep ("only"; _id is kept unless excluded) or to drop.
struct Projection {
    std::vector<std::string> only;
    std::vector<std::string> exclude;
    bool empty() const { return only.empty() && exclude.empty(); }
};

struct FindOptions {
    std::vector<SortKey> sort;
    std::int64_t skip = 0;
    std::optional<std::int64_t> limit;
    Projection projection;
};

struct IndexSpec {
    std::string name;  // empty: made from the keys ("category_1_rating_-1")
    std::vector<SortKey> keys;
    bool unique = false;
    bool operator==(const IndexSpec&) const = default;
};
std::string index_name(const IndexSpec& spec);  // spec.name or the one made from keys

struct UpdateOptions {
    bool multi = true;    // every match, or only the first
    bool upsert = false;  // insert upsert_seed(filter) + update when nothing matches
};

struct UpdateResult {
    std::int64_t matched = 0;
    std::int64_t modified = 0;
    std::optional<std::string> upserted_id;
};

struct FindAndModifyOptions {
    std::vector<SortKey> sort;  // which match to take when several do
    bool upsert = false;
    bool return_new = true;  // the document after the update, or before it
};

// Called during long operations: units done, units in total (0: unknown), what.
using Progress =
    std::function<void(std::uint64_t done, std::uint64_t total, std::string_view what)>;

class Collection {
  public:
    virtual ~Collection() = default;
    virtual const std::string& name() const = 0;

    // Inserts and returns the _id (made with new_id() when the document has none).
    // DuplicateKey when _id or a unique index value is taken.
    virtual std::string insert(Document doc) = 0;
    // All or nothing on SQLite; on MongoDB an ordered insert that stops at the first error.
    virtual std::vector<std::string> insert_many(std::vector<Document> docs) = 0;

    // Calls `each` for every match in order until it returns false.
    virtual void scan(const Filter& filter, const FindOptions& options,
                      const std::function<bool(Document&&)>& each) = 0;
    std::vector<Document> find(const Filter& filter = {}, const FindOptions& options = {});
    std::optional<Document> find_one(const Filter& filter, FindOptions options = {});
    std::optional<Document> get(const std::string& id);
    virtual std::int64_t count(const Filter& filter = {}) = 0;
    // The distinct values at `path` (list elements count one by one), sorted.
    std::vector<Document> distinct(const std::string& path, const Filter& filter = {});

    virtual UpdateResult update(const Filter& filter, const Update& update,
                                UpdateOptions options = {}) = 0;
    virtual std::optional<Document> find_and_modify(const Filter& filter, const Update& update,
                                                    const FindAndModifyOptions& options = {}) = 0;
    // Replaces the whole document with this _id; false when there is none.
    virtual bool replace(const std::string& id, Document doc) = 0;
    // Deletes every match and returns how many. (Model-level delete rules live
    // in the model layer, which calls this.)
    virtual std::int64_t remove(const Filter& filter) = 0;

    virtual void create_index(const IndexSpec& spec) = 0;
    virtual std::vector<IndexSpec> indexes() = 0;  // declared indexes (not _id's), by name
    virtual void drop() = 0;
};

class Store {
  public:
    virtual ~Store() = default;
    virtual std::string_view backend() const = 0;  // "sqlite" or "mongodb"
    // The collection, created on first use.
    virtual Collection& collection(std::string_view name) = 0;
    virtual std::vector<std::string> collection_names() = 0;
    // Throws Unavailable when the store cannot be reached.
    virtual void ping() = 0;

    // A consistent copy of the whole store at `dest` plus `dest`.sha256.
    virtual void backup(const std::filesystem::path& dest, const Progress& progress) = 0;
    // Replaces the store's content with a backup made by backup() (after
    // checking its checksum). Refuses a non-empty store unless `force`.
    virtual void restore(const std::filesystem::path& src, const Progress& progress,
                         bool force) = 0;
};

struct StoreOptions {
    std::string url = "sqlite://var/famigo.db";
    std::chrono::milliseconds busy_timeout{5000};  // SQLite: wait for a writer lock
    std::string write_concern = "majority";        // MongoDB: w (majority, or a number)
    bool journal = true;                           // MongoDB: j, wait for the journal
    std::chrono::milliseconds timeout{10000};      // MongoDB: server selection and socket
};

// Opens the backend named by options.url's scheme. Throws StoreError on a bad
// URL, Unavailable when the store cannot be opened. Defined in famigo_docstore
// (factory.cpp), which links every backend; code that only uses a Store it is
// handed links famigo_docstore_api.
std::unique_ptr<Store> open_store(const StoreOptions& options);

}  // namespace famigo::docstore
