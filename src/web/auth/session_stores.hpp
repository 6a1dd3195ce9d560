// Where session data lives, behind one small interface with two backends
// (session.engine):
//   cache: the key "session:<id>" of cache::Cache, the data as JSON, with the
//          session age as TTL (memory or memcached; a dead memcached server
//          loses sessions, which only logs people out);
//   store: the `sessions` collection of the document store, {_id, data,
//          expires (unix ms)}, indexed on expires. Expired sessions are ignored
//          and deleted when met; purge_expired() removes the rest.
// Both are thread-safe and run the same contract suite (tests/unit/auth).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace famigo {
namespace cache {
class Cache;
}
namespace docstore {
class Store;
class Collection;
}  // namespace docstore
}  // namespace famigo

namespace famigo::web::auth {

class SessionStore {
  public:
    virtual ~SessionStore() = default;
    // The data of a live session; nullopt when unknown, expired or unreadable.
    virtual std::optional<nlohmann::json> load(std::string_view id) = 0;
    // Writes the data; the session then lives for `age` from now.
    virtual void save(std::string_view id, const nlohmann::json& data) = 0;
    virtual void remove(std::string_view id) = 0;
    // Deletes expired sessions (the store engine; the cache expires its own).
    virtual std::int64_t purge_expired() { return 0; }
};

class CacheSessionStore : public SessionStore {
  public:
    CacheSessionStore(cache::Cache& cache, std::chrono::seconds age);
    std::optional<nlohmann::json> load(std::string_view id) override;
    void save(std::string_view id, const nlohmann::json& data) override;
    void remove(std::string_view id) override;

  private:
    cache::Cache& cache_;
    std::chrono::seconds age_;
};

class DocumentSessionStore : public SessionStore {
  public:
    // Wall-clock unix milliseconds; empty: the system clock. Tests move it by hand.
    using Clock = std::function<std::int64_t()>;
    // Creates the collection's index on `expires` (idempotent).
    DocumentSessionStore(docstore::Store& store, std::chrono::seconds age, Clock clock = {});
    std::optional<nlohmann::json> load(std::string_view id) override;
    void save(std::string_view id, const nlohmann::json& data) override;
    void remove(std::string_view id) override;
    std::int64_t purge_expired() override;

    static constexpr std::string_view kCollection = "sessions";

  private:
    std::int64_t now() const;
    docstore::Collection& collection_;
    std::chrono::seconds age_;
    Clock clock_;
};

}  // namespace famigo::web::auth
