// The cache's /metrics collector: the counters every backend keeps, and each
// backend's own numbers (memory use of memory://, dead servers of memcached://),
// which the backend reports through Cache itself.
#include "cache/metrics.hpp"

#include <gtest/gtest.h>

#include "cache/factory.hpp"
#include "memcached_env.hpp"
#include "ops/metrics.hpp"

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;

std::string render(const Cache& cache) {
    ops::Registry registry;
    add_metrics(registry, cache, nullptr);
    return registry.render();
}

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(CacheMetrics, MemoryBackendReportsItsItemsBytesAndLookups) {
    auto cache = make_cache("memory://?max=1MiB&shards=1", CacheSettings{});
    ASSERT_TRUE(cache->set("a", "12345"));
    ASSERT_TRUE(cache->set("b", "x"));
    EXPECT_TRUE(cache->get("a"));
    EXPECT_FALSE(cache->get("missing"));
    const std::string text = render(*cache);
    EXPECT_TRUE(has_line(text, "famigo_cache_memory_items 2")) << text;
    EXPECT_TRUE(has_line(text, "# TYPE famigo_cache_memory_bytes gauge")) << text;
    EXPECT_TRUE(has_line(text, "famigo_cache_evictions_total 0")) << text;
    EXPECT_TRUE(has_line(text, "famigo_cache_hits_total{layer=\"store\"} 1")) << text;
    EXPECT_TRUE(has_line(text, "famigo_cache_misses_total{layer=\"store\"} 1")) << text;
    EXPECT_EQ(text.find("famigo_cache_dead_servers"), std::string::npos) << text;
}

TEST(CacheMetrics, MemcachedBackendReportsItsDeadServers) {
    testing::MemcachedEnv env(1);
    FAMIGO_REQUIRE_MEMCACHED(env);
    CacheSettings settings;
    settings.connect_timeout = 200ms;
    settings.read_timeout = 200ms;
    auto cache = make_cache(env.url(), settings);
    ASSERT_TRUE(cache->set("k", "v"));
    EXPECT_TRUE(has_line(render(*cache), "famigo_cache_dead_servers 0"));
    env.kill(0);
    EXPECT_FALSE(cache->get("k"));
    const std::string text = render(*cache);
    EXPECT_TRUE(has_line(text, "# TYPE famigo_cache_dead_servers gauge")) << text;
    EXPECT_TRUE(has_line(text, "famigo_cache_dead_servers 1")) << text;
    EXPECT_EQ(text.find("famigo_cache_memory_items"), std::string::npos) << text;
}

}  // namespace
}  // namespace famigo::cache
