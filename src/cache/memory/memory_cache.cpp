#include "cache/memory/memory_cache.hpp"

#include <algorithm>

namespace famigo::cache {
namespace {

std::function<std::int64_t()> or_steady(std::function<std::int64_t()> clock) {
    if (clock) return clock;
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    };
}

}  // namespace

MemoryCache::MemoryCache(KeyOptions keys, std::chrono::milliseconds default_ttl,
                         MemoryOptions options)
    : Cache(std::move(keys), default_ttl),
      options_(std::move(options)),
      lru_(options_.max_bytes, options_.shards, or_steady(options_.clock_ms)) {}

std::string MemoryCache::describe() const {
    return "memory://?max=" + std::to_string(options_.max_bytes) +
           "&shards=" + std::to_string(options_.shards);
}

std::vector<BackendMetric> MemoryCache::backend_metrics() const {
    return {
        {"famigo_cache_memory_bytes", "gauge", "bytes held by the memory cache", double(bytes())},
        {"famigo_cache_memory_items", "gauge", "entries in the memory cache", double(items())},
        {"famigo_cache_evictions_total", "counter",
         "live entries dropped to stay within the memory bound", double(evictions())},
    };
}

std::shared_ptr<const CachedObject> MemoryCache::get_object(std::string_view key) {
    // The page cache's hit path: the full key is built in a reused buffer.
    thread_local std::string full;
    make_key_into(full, key);
    auto object = lru_.find_object(full);
    count_lookup(object != nullptr);
    return object;
}

bool MemoryCache::set_object(std::string_view key, std::shared_ptr<const CachedObject> object,
                             Ttl ttl) {
    std::string full = make_key(key);
    Expiry e = expiry(ttl);
    if (!e.forever && e.duration.count() <= 0) {
        lru_.erase(full);
        return true;
    }
    return lru_.store(full, std::move(object), e, memory::ShardedLru::Mode::Set);
}

std::optional<std::string> MemoryCache::do_get(const std::string& key) {
    return lru_.find_string(key);
}

bool MemoryCache::do_set(const std::string& key, std::string_view value, Expiry expiry) {
    return lru_.store(key, std::string(value), expiry, memory::ShardedLru::Mode::Set);
}

bool MemoryCache::do_add(const std::string& key, std::string_view value, Expiry expiry) {
    return lru_.store(key, std::string(value), expiry, memory::ShardedLru::Mode::Add);
}

bool MemoryCache::do_del(const std::string& key) {
    return lru_.erase(key);
}

std::optional<std::uint64_t> MemoryCache::do_incr(const std::string& key, std::uint64_t delta,
                                                  bool up) {
    return lru_.update_counter(key, [&](const std::string& text) {
        std::uint64_t n = parse_counter(text, key);
        if (up) return n + delta;  // unsigned: wraps at 2^64 like memcached
        return n > delta ? n - delta : 0;
    });
}

bool MemoryCache::do_touch(const std::string& key, Expiry expiry) {
    return lru_.touch(key, expiry);
}

}  // namespace famigo::cache
