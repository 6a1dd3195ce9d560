// The cache every component shares: one interface (`cache::Cache`) with a
// memory backend (sharded LRU in this process) and a memcached backend (a pool
// of servers with consistent hashing), chosen by `cache.url` (see
// cache/factory.hpp). Keys follow Django: the stored key is
// "prefix:version:key", checked against memcached's rules (at most 250 bytes,
// no spaces or control characters) so code that works on one backend works on
// the other. A miss is std::optional, never an exception; so is an unreachable
// memcached server, which the application must survive. Exceptions (all
// cache::Error) are kept for caller mistakes: a bad key, incr on a non-number.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace famigo::cache {

class Error : public famigo::Error {
  public:
    using famigo::Error::Error;
};

// A key that memcached would refuse: too long, or with a space or control byte.
class InvalidKey : public Error {
  public:
    using Error::Error;
};

// incr/decr on a value that is not an unsigned decimal number.
class NotANumber : public Error {
  public:
    using Error::Error;
};

// How long a value lives: the cache's default, forever, or a duration. A zero
// or negative duration means "already expired" (Django's timeout=0): nothing
// is stored and an existing value is removed.
class Ttl {
  public:
    static constexpr Ttl use_default() { return Ttl(Kind::Default, {}); }
    static constexpr Ttl forever() { return Ttl(Kind::Forever, {}); }
    constexpr Ttl(std::chrono::milliseconds duration) : Ttl(Kind::Duration, duration) {}
    template <class Rep, class Period>
    constexpr Ttl(std::chrono::duration<Rep, Period> duration)
        : Ttl(Kind::Duration, std::chrono::duration_cast<std::chrono::milliseconds>(duration)) {}

    bool is_default() const { return kind_ == Kind::Default; }
    bool is_forever() const { return kind_ == Kind::Forever; }
    std::chrono::milliseconds duration() const { return duration_; }

  private:
    enum class Kind { Default, Forever, Duration };
    constexpr Ttl(Kind kind, std::chrono::milliseconds duration)
        : kind_(kind), duration_(duration) {}
    Kind kind_;
    std::chrono::milliseconds duration_;
};

// A TTL after the default has been applied: what a backend sees.
struct Expiry {
    bool forever = false;
    std::chrono::milliseconds duration{0};  // > 0 unless forever
};

struct KeyOptions {
    std::string prefix;        // cache.key_prefix
    std::int64_t version = 1;  // cache.version
};

// Throws InvalidKey unless `full_key` is acceptable to memcached.
void validate_key(std::string_view full_key);

// An immutable value an in-process backend keeps as it is: no serialising, and
// readers share it. The page cache keeps pages so, to answer hits without
// copying their bodies.
class CachedObject {
  public:
    virtual ~CachedObject() = default;
    // Bytes it holds, for the backend's memory bound.
    virtual std::size_t memory_size() const = 0;
};

// Implemented by backends that live in this process (Cache::objects()). Keys
// are made and checked as for the Cache's string values; a key holds either a
// string or an object, and asking for the other kind is a miss.
class ObjectStore {
  public:
    virtual ~ObjectStore() = default;
    virtual std::shared_ptr<const CachedObject> get_object(std::string_view key) = 0;
    // False when the object is too large to keep.
    virtual bool set_object(std::string_view key, std::shared_ptr<const CachedObject> object,
                            Ttl ttl = Ttl::use_default()) = 0;
};

// One number a backend reports about itself on /metrics (the memory backend's
// bytes and items, memcached's dead servers): a family of one unlabelled sample.
struct BackendMetric {
    std::string_view name;  // "famigo_cache_..."
    std::string_view type;  // "gauge" or "counter"
    std::string_view help;
    double value = 0;
};

// Counts kept by every Cache: hits, misses, and backend failures that were
// turned into misses (a dead memcached server).
struct CacheCounters {
    std::atomic<std::uint64_t> hits{0};
    std::atomic<std::uint64_t> misses{0};
    std::atomic<std::uint64_t> server_errors{0};
};

class Cache {
  public:
    Cache(KeyOptions keys, std::chrono::milliseconds default_ttl);
    virtual ~Cache() = default;
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    std::optional<std::string> get(std::string_view key);
    // True when stored (false: too large, or the server is unreachable).
    bool set(std::string_view key, std::string_view value, Ttl ttl = Ttl::use_default());
    // Stores only when the key holds nothing; true when it did store.
    bool add(std::string_view key, std::string_view value, Ttl ttl = Ttl::use_default());
    // True when a value was there.
    bool del(std::string_view key);
    // Adds to / subtracts from an unsigned decimal value, keeping its TTL, and
    // returns the new value; nullopt when the key holds nothing. incr wraps at
    // 2^64 and decr stops at 0 (memcached's rules). NotANumber otherwise.
    std::optional<std::uint64_t> incr(std::string_view key, std::uint64_t delta = 1);
    std::optional<std::uint64_t> decr(std::string_view key, std::uint64_t delta = 1);
    // Gives an existing value a new TTL; true when the key held a value.
    bool touch(std::string_view key, Ttl ttl = Ttl::use_default());
    // The values found, by the keys as the caller gave them.
    std::unordered_map<std::string, std::string> get_many(std::span<const std::string_view> keys);
    // Returns the keys that were not stored.
    std::vector<std::string> set_many(
        std::span<const std::pair<std::string_view, std::string_view>> items,
        Ttl ttl = Ttl::use_default());
    // Removes every value (memcached: flush_all on every server).
    virtual void clear() = 0;

    // "prefix:version:key", validated (InvalidKey).
    std::string make_key(std::string_view key) const;
    void make_key_into(std::string& out, std::string_view key) const;
    Expiry expiry(Ttl ttl) const;

    // Non-null for in-process backends.
    virtual ObjectStore* objects() { return nullptr; }
    // True when calls may wait on the network (so never on an I/O thread).
    virtual bool blocking() const = 0;
    // "memory://?max=..." or the memcached servers, for logs.
    virtual std::string describe() const = 0;

    const CacheCounters& counters() const { return counters_; }
    // The backend's own numbers for /metrics, beyond the counters; none by default.
    virtual std::vector<BackendMetric> backend_metrics() const { return {}; }

  protected:
    // Backends get full, validated keys and a resolved expiry (never expired).
    virtual std::optional<std::string> do_get(const std::string& key) = 0;
    virtual bool do_set(const std::string& key, std::string_view value, Expiry expiry) = 0;
    virtual bool do_add(const std::string& key, std::string_view value, Expiry expiry) = 0;
    virtual bool do_del(const std::string& key) = 0;
    // delta is added when `up`, else subtracted (stopping at 0).
    virtual std::optional<std::uint64_t> do_incr(const std::string& key, std::uint64_t delta,
                                                 bool up) = 0;
    virtual bool do_touch(const std::string& key, Expiry expiry) = 0;
    // Default: one do_get per key. Returns values by full key.
    virtual std::unordered_map<std::string, std::string> do_get_many(
        std::span<const std::string> keys);

    void count_lookup(bool hit) {
        (hit ? counters_.hits : counters_.misses).fetch_add(1, std::memory_order_relaxed);
    }
    void count_server_error() { counters_.server_errors.fetch_add(1, std::memory_order_relaxed); }

  private:
    KeyOptions keys_;
    std::string key_head_;  // "prefix:version:"
    std::chrono::milliseconds default_ttl_;
    CacheCounters counters_;
};

// Parses an unsigned decimal as memcached's incr accepts it; NotANumber otherwise.
std::uint64_t parse_counter(std::string_view value, std::string_view key);

}  // namespace famigo::cache
