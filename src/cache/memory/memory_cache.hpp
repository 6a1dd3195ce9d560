// The in-process cache backend, `memory://?max=256MiB&shards=16`: a sharded
// LRU bounded in bytes (see lru.hpp) behind the cache::Cache interface. It also
// keeps immutable objects as they are (cache::ObjectStore), which lets the page
// cache answer hits on the I/O thread without copying a body. Each process has
// its own: right for one machine, wrong for several behind a load balancer
// (use memcached there).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "cache/cache.hpp"
#include "cache/memory/lru.hpp"

namespace famigo::cache {

struct MemoryOptions {
    std::size_t max_bytes = std::size_t(256) << 20;
    unsigned shards = 16;
    // Monotonic milliseconds; empty: std::chrono::steady_clock.
    std::function<std::int64_t()> clock_ms;
};

class MemoryCache final : public Cache, public ObjectStore {
  public:
    MemoryCache(KeyOptions keys, std::chrono::milliseconds default_ttl, MemoryOptions options);

    void clear() override { lru_.clear(); }
    ObjectStore* objects() override { return this; }
    bool blocking() const override { return false; }
    std::string describe() const override;

    std::shared_ptr<const CachedObject> get_object(std::string_view key) override;
    bool set_object(std::string_view key, std::shared_ptr<const CachedObject> object,
                    Ttl ttl = Ttl::use_default()) override;

    std::size_t bytes() const { return lru_.bytes(); }
    std::size_t items() const { return lru_.items(); }
    std::uint64_t evictions() const { return lru_.evictions(); }
    // famigo_cache_memory_bytes, famigo_cache_memory_items, famigo_cache_evictions_total.
    std::vector<BackendMetric> backend_metrics() const override;

  protected:
    std::optional<std::string> do_get(const std::string& key) override;
    bool do_set(const std::string& key, std::string_view value, Expiry expiry) override;
    bool do_add(const std::string& key, std::string_view value, Expiry expiry) override;
    bool do_del(const std::string& key) override;
    std::optional<std::uint64_t> do_incr(const std::string& key, std::uint64_t delta,
                                         bool up) override;
    bool do_touch(const std::string& key, Expiry expiry) override;

  private:
    MemoryOptions options_;
    memory::ShardedLru lru_;
};

}  // namespace famigo::cache
