// What only the memory backend does: a byte bound with LRU eviction, expiry to
// the millisecond, and objects kept without copying.
#include "cache/memory/memory_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;

struct Blob final : CachedObject {
    explicit Blob(std::string t) : text(std::move(t)) {}
    std::size_t memory_size() const override { return text.size(); }
    std::string text;
};

class MemoryCacheTest : public ::testing::Test {
  protected:
    MemoryCache make(std::size_t max, unsigned shards = 1) {
        MemoryOptions options;
        options.max_bytes = max;
        options.shards = shards;
        options.clock_ms = [this] { return now_.load(); };
        return MemoryCache({"p", 1}, 60s, options);
    }
    std::atomic<std::int64_t> now_{1'000'000};
};

TEST_F(MemoryCacheTest, ExpiresToTheMillisecond) {
    auto cache = make(1 << 20);
    cache.set("k", "v", 250ms);
    now_ += 249;
    EXPECT_TRUE(cache.get("k"));
    now_ += 1;
    EXPECT_FALSE(cache.get("k"));
    EXPECT_EQ(cache.items(), 0u);  // dropped when looked at
}

TEST_F(MemoryCacheTest, StaysWithinItsByteBoundEvictingLeastRecentlyUsed) {
    const std::size_t max = 64 * 1024;
    auto cache = make(max);
    const std::string value(1000, 'v');
    cache.set("key-0", value);
    for (int i = 1; i < 200; ++i) {
        cache.get("key-0");  // keep it recent
        cache.set("key-" + std::to_string(i), value);
        EXPECT_LE(cache.bytes(), max);
    }
    EXPECT_TRUE(cache.get("key-0"));
    EXPECT_FALSE(cache.get("key-1"));  // least recently used: gone
    EXPECT_TRUE(cache.get("key-199"));
    EXPECT_GT(cache.evictions(), 100u);
    EXPECT_GT(cache.bytes(), max / 2);  // the bound is used, not wasted
}

TEST_F(MemoryCacheTest, RefusesAValueLargerThanAShard) {
    auto cache = make(64 * 1024, 4);  // 16 KiB per shard
    EXPECT_FALSE(cache.set("big", std::string(20 * 1024, 'x')));
    EXPECT_TRUE(cache.set("fits", std::string(10 * 1024, 'x')));
}

TEST_F(MemoryCacheTest, ExpiredEntriesAreReclaimedBeforeLiveOnes) {
    auto cache = make(8 * 1024);
    cache.set("short", std::string(3000, 's'), 10ms);
    cache.set("long", std::string(3000, 'l'));
    now_ += 20;
    cache.set("new", std::string(3000, 'n'));
    EXPECT_TRUE(cache.get("long"));
    EXPECT_TRUE(cache.get("new"));
}

TEST_F(MemoryCacheTest, ObjectsAreSharedNotCopied) {
    auto cache = make(1 << 20);
    auto blob = std::make_shared<const Blob>("page body");
    EXPECT_TRUE(cache.set_object("page", blob));
    auto a = cache.get_object("page");
    auto b = cache.get_object("page");
    EXPECT_EQ(a.get(), blob.get());
    EXPECT_EQ(b.get(), blob.get());
    EXPECT_FALSE(cache.get("page"));  // a string lookup does not see an object
    cache.set("text", "v");
    EXPECT_EQ(cache.get_object("text"), nullptr);
    EXPECT_THROW(cache.get_object("bad key"), InvalidKey);
}

TEST_F(MemoryCacheTest, ObjectsExpireAndCountAgainstTheBound) {
    auto cache = make(16 * 1024);
    cache.set_object("o", std::make_shared<const Blob>(std::string(10 * 1024, 'x')), 100ms);
    EXPECT_GT(cache.bytes(), 10u * 1024);
    now_ += 100;
    EXPECT_EQ(cache.get_object("o"), nullptr);
}

TEST_F(MemoryCacheTest, IncrKeepsTheTtl) {
    auto cache = make(1 << 20);
    cache.set("n", "1", 100ms);
    cache.incr("n");
    now_ += 100;
    EXPECT_FALSE(cache.get("n"));
}

TEST_F(MemoryCacheTest, IsAnInProcessBackend) {
    auto cache = make(1 << 20, 4);
    EXPECT_FALSE(cache.blocking());
    EXPECT_EQ(cache.objects(), &cache);
    EXPECT_EQ(cache.describe(), "memory://?max=1048576&shards=4");
}

}  // namespace
}  // namespace famigo::cache
