// cache.url parsing, backend selection and the cache's config keys.
#include "cache/cache_url.hpp"

#include <gtest/gtest.h>

#include "cache/factory.hpp"
#include "cache/memcached/memcached_cache.hpp"
#include "cache/memory/memory_cache.hpp"
#include "core/error.hpp"

namespace famigo::cache {
namespace {

TEST(CacheUrl, ParsesHostsPortsAndParameters) {
    auto url = parse_cache_url("memcached://h1:11212,h2,[::1]:11213");
    EXPECT_EQ(url.scheme, "memcached");
    ASSERT_EQ(url.hosts.size(), 3u);
    EXPECT_EQ(url.hosts[0].name, "h1");
    EXPECT_EQ(url.hosts[0].port, 11212);
    EXPECT_EQ(url.hosts[1].port, 11211);  // memcached's default
    EXPECT_EQ(url.hosts[2].name, "::1");
    EXPECT_EQ(url.hosts[2].port, 11213);
    auto memory = parse_cache_url("memory://?max=256MiB&shards=8");
    EXPECT_TRUE(memory.hosts.empty());
    EXPECT_EQ(memory.params.at("max"), "256MiB");
}

TEST(CacheUrl, RefusesMalformedUrlsWithAReason) {
    EXPECT_THROW(parse_cache_url("memcached:h1"), ConfigError);
    EXPECT_THROW(parse_cache_url("memcached://h1:0"), ConfigError);
    EXPECT_THROW(parse_cache_url("memcached://h1:99999"), ConfigError);
    EXPECT_THROW(parse_cache_url("memcached://[::1"), ConfigError);
    EXPECT_THROW(parse_cache_url("memory://?max"), ConfigError);
}

TEST(CacheFactory, PicksTheBackendByScheme) {
    CacheSettings settings;
    auto memory = make_cache("memory://?max=1MiB&shards=2", settings);
    EXPECT_NE(dynamic_cast<MemoryCache*>(memory.get()), nullptr);
    EXPECT_EQ(memory->describe(), "memory://?max=1048576&shards=2");
    auto memcached = make_cache("memcached://127.0.0.1:1,127.0.0.1:2", settings);
    EXPECT_NE(dynamic_cast<MemcachedCache*>(memcached.get()), nullptr);
    EXPECT_TRUE(memcached->blocking());
    EXPECT_EQ(memcached->describe(), "memcached://127.0.0.1:1,127.0.0.1:2");
}

TEST(CacheFactory, RefusesUnknownSchemesAndParameters) {
    CacheSettings settings;
    EXPECT_THROW(make_cache("redis://h:6379", settings), ConfigError);
    EXPECT_THROW(make_cache("memory://?maxx=1MiB", settings), ConfigError);
    EXPECT_THROW(make_cache("memory://host", settings), ConfigError);
    EXPECT_THROW(make_cache("memory://?max=lots", settings), ConfigError);
    EXPECT_THROW(make_cache("memcached://", settings), ConfigError);
}

TEST(CacheConfig, DeclaresItsKeysAndBuildsFromConfig) {
    config::Schema schema;
    define_config(schema);
    for (const char* key : {"cache.url", "cache.key_prefix", "cache.version", "cache.default_ttl",
                            "cache.connect_timeout", "cache.read_timeout", "cache.retry_dead_after",
                            "cache.pool_size", "page_cache.enabled", "page_cache.default_ttl",
                            "page_cache.stale_while_revalidate", "page_cache.stale_if_error",
                            "page_cache.fill_timeout", "page_cache.max_body", "page_cache.routes"})
        EXPECT_NE(schema.find(key), nullptr) << key;
    config::Sources sources;
    sources.overrides = {{"cache.key_prefix", "site", "test"}, {"cache.version", "3", "test"}};
    auto config = config::Config::load(schema, sources);
    auto cache = make_cache(config);
    EXPECT_EQ(cache->make_key("k"), "site:3:k");
}

TEST(CacheConfig, ABadUrlIsAConfigErrorNamingTheKey) {
    config::Schema schema;
    define_config(schema);
    config::Sources sources;
    sources.overrides = {{"cache.url", "memcache://h", "flag --set"}};
    try {
        config::Config::load(schema, sources);
        FAIL() << "loaded";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("cache.url"), std::string::npos) << e.what();
    }
    sources.overrides = {{"cache.key_prefix", "has space", "flag --set"}};
    EXPECT_THROW(config::Config::load(schema, sources), ConfigError);
}

}  // namespace
}  // namespace famigo::cache
