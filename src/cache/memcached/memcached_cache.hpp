// The memcached backend, `memcached://h1:11211,h2:11211`: libmemcached (linked
// privately to this folder; none of its types appear here) with ketama
// consistent hashing, so adding a server moves only about 1/N of the keys.
// Connect and read timeouts bound every call. A server that fails a call is
// marked dead for `retry_dead_after`: its keys are misses (and writes to it
// no-ops) without touching the network, then it is tried again. Nothing a
// server does becomes an exception; the application runs on without its cache.
// Calls block on the network: never make them on an I/O thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cache/cache.hpp"

namespace famigo::cache {

struct MemcachedServer {
    std::string host;
    std::uint16_t port = 11211;
};

struct MemcachedOptions {
    std::vector<MemcachedServer> servers;
    std::chrono::milliseconds connect_timeout{250};
    std::chrono::milliseconds read_timeout{250};
    std::chrono::milliseconds retry_dead_after{5000};
    unsigned pool_size = 32;  // connections (libmemcached handles) shared by all threads
};

class MemcachedCache final : public Cache {
  public:
    MemcachedCache(KeyOptions keys, std::chrono::milliseconds default_ttl,
                   MemcachedOptions options);
    ~MemcachedCache() override;

    void clear() override;
    bool blocking() const override { return true; }
    std::string describe() const override;

    // How many servers are marked dead right now (a gauge for /metrics).
    std::size_t dead_servers() const;
    // famigo_cache_dead_servers.
    std::vector<BackendMetric> backend_metrics() const override;

    struct Impl;

  protected:
    std::optional<std::string> do_get(const std::string& key) override;
    bool do_set(const std::string& key, std::string_view value, Expiry expiry) override;
    bool do_add(const std::string& key, std::string_view value, Expiry expiry) override;
    bool do_del(const std::string& key) override;
    std::optional<std::uint64_t> do_incr(const std::string& key, std::uint64_t delta,
                                         bool up) override;
    bool do_touch(const std::string& key, Expiry expiry) override;
    std::unordered_map<std::string, std::string> do_get_many(
        std::span<const std::string> keys) override;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace famigo::cache
