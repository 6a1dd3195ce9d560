// Builds the configured cache and declares the cache's configuration keys:
//   cache.url               memory://?max=256MiB[&shards=16] or memcached://h1:11211,h2:11211
//   cache.key_prefix        first part of every stored key (prefix:version:key)
//   cache.version           second part; bump it to orphan every existing value
//   cache.default_ttl       TTL of values stored without one ("5m")
//   cache.connect_timeout   memcached: connect timeout per server ("250ms")
//   cache.read_timeout      memcached: time one answer may take ("250ms")
//   cache.retry_dead_after  memcached: how long a failed server is skipped ("5s")
//   cache.pool_size         memcached: client handles shared by all threads (32)
// The page cache's keys (page_cache.*) are declared here too, so the CLI's
// schema needs one call for the whole module.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "cache/cache.hpp"
#include "core/config.hpp"

namespace famigo::cache {

struct CacheSettings {
    KeyOptions keys;
    std::chrono::milliseconds default_ttl{300000};
    std::chrono::milliseconds connect_timeout{250};
    std::chrono::milliseconds read_timeout{250};
    std::chrono::milliseconds retry_dead_after{5000};
    unsigned pool_size = 32;
};

void define_config(config::Schema& schema);
CacheSettings cache_settings(const config::Config& config);

// Throws famigo::ConfigError for an unknown scheme or parameter.
std::unique_ptr<Cache> make_cache(std::string_view url, const CacheSettings& settings);
std::unique_ptr<Cache> make_cache(const config::Config& config);

}  // namespace famigo::cache
