// The contract every cache::Cache backend keeps (DESIGN.md §2: one suite per
// interface, run against every backend). The memcached instance runs against a
// real server started by tests/env/memcached.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "cache/factory.hpp"
#include "memcached_env.hpp"

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;

struct MemoryBackend {
    static constexpr const char* kName = "memory";
    std::string setup() { return {}; }
    std::unique_ptr<Cache> make(CacheSettings settings) {
        return make_cache("memory://?max=64MiB&shards=4", settings);
    }
};

struct MemcachedBackend {
    static constexpr const char* kName = "memcached";
    std::unique_ptr<testing::MemcachedEnv> env;
    std::string setup() {
        env = std::make_unique<testing::MemcachedEnv>(1);
        return env->error();
    }
    std::unique_ptr<Cache> make(CacheSettings settings) { return make_cache(env->url(), settings); }
};

template <class Backend>
class CacheContract : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error = backend_.setup();
        if (!error.empty()) {
            if (testing::services_required()) FAIL() << error;
            GTEST_SKIP() << error << " (FAMIGO_REQUIRE_SERVICES=1 makes this fail)";
        }
        cache_ = make();
    }
    std::unique_ptr<Cache> make(std::string prefix = "t", std::int64_t version = 1,
                                std::chrono::milliseconds default_ttl = 60s) {
        CacheSettings settings;
        settings.keys = {std::move(prefix), version};
        settings.default_ttl = default_ttl;
        return backend_.make(settings);
    }
    Cache& cache() { return *cache_; }

    Backend backend_;
    std::unique_ptr<Cache> cache_;
};

struct BackendName {
    template <class T>
    static std::string GetName(int) {
        return T::kName;
    }
};

using Backends = ::testing::Types<MemoryBackend, MemcachedBackend>;
TYPED_TEST_SUITE(CacheContract, Backends, BackendName);

TYPED_TEST(CacheContract, MissIsNullopt) {
    EXPECT_FALSE(this->cache().get("nothing-here"));
}

TYPED_TEST(CacheContract, SetThenGetIsBinarySafe) {
    std::string value("a\0b\r\nc END\r\n", 13);
    EXPECT_TRUE(this->cache().set("k", value));
    EXPECT_EQ(this->cache().get("k"), value);
    EXPECT_TRUE(this->cache().set("empty", ""));
    EXPECT_EQ(this->cache().get("empty"), "");
}

TYPED_TEST(CacheContract, SetOverwrites) {
    this->cache().set("k", "one");
    this->cache().set("k", "two");
    EXPECT_EQ(this->cache().get("k"), "two");
}

TYPED_TEST(CacheContract, AddStoresOnlyWhenAbsent) {
    EXPECT_TRUE(this->cache().add("k", "first"));
    EXPECT_FALSE(this->cache().add("k", "second"));
    EXPECT_EQ(this->cache().get("k"), "first");
}

TYPED_TEST(CacheContract, DelTellsWhetherSomethingWasThere) {
    this->cache().set("k", "v");
    EXPECT_TRUE(this->cache().del("k"));
    EXPECT_FALSE(this->cache().del("k"));
    EXPECT_FALSE(this->cache().get("k"));
}

TYPED_TEST(CacheContract, IncrAndDecrFollowMemcachedRules) {
    EXPECT_FALSE(this->cache().incr("counter"));  // absent: nullopt, nothing created
    EXPECT_FALSE(this->cache().get("counter"));
    this->cache().set("counter", "10");
    EXPECT_EQ(this->cache().incr("counter"), 11u);
    EXPECT_EQ(this->cache().incr("counter", 5), 16u);
    EXPECT_EQ(this->cache().incr("counter", 10'000'000'000ull), 10'000'000'016ull);  // 64-bit delta
    EXPECT_EQ(this->cache().decr("counter", 10'000'000'010ull), 6u);
    EXPECT_EQ(this->cache().decr("counter", 100), 0u);  // stops at zero
    EXPECT_EQ(this->cache().incr("counter"), 1u);
    this->cache().set("max", "18446744073709551615");
    EXPECT_EQ(this->cache().incr("max"), 0u);  // wraps at 2^64
}

TYPED_TEST(CacheContract, IncrOnTextThrowsNotANumber) {
    this->cache().set("text", "hello");
    EXPECT_THROW(this->cache().incr("text"), NotANumber);
    EXPECT_EQ(this->cache().get("text"), "hello");
}

TYPED_TEST(CacheContract, TtlExpiresAndTouchExtends) {
    auto short_default = this->make("t", 1, 1s);
    this->cache().set("explicit", "v", 1s);
    short_default->set("by-default", "v");
    this->cache().set("touched", "v", 1s);
    EXPECT_TRUE(this->cache().touch("touched", 60s));
    this->cache().set("forever", "v", Ttl::forever());
    EXPECT_TRUE(this->cache().get("explicit"));
    std::this_thread::sleep_for(2100ms);  // memcached counts whole seconds
    EXPECT_FALSE(this->cache().get("explicit"));
    EXPECT_FALSE(short_default->get("by-default"));
    EXPECT_EQ(this->cache().get("touched"), "v");
    EXPECT_EQ(this->cache().get("forever"), "v");
    EXPECT_FALSE(this->cache().touch("explicit", 60s));  // nothing left to touch
}

TYPED_TEST(CacheContract, ZeroOrNegativeTtlStoresNothingAndRemoves) {
    this->cache().set("k", "v");
    EXPECT_TRUE(this->cache().set("k", "new", 0s));
    EXPECT_FALSE(this->cache().get("k"));
    this->cache().set("k", "v");
    EXPECT_TRUE(this->cache().touch("k", -1s));
    EXPECT_FALSE(this->cache().get("k"));
}

TYPED_TEST(CacheContract, GetManyReturnsWhatWasFoundByCallerKeys) {
    this->cache().set("a", "1");
    this->cache().set("c", "3");
    const std::string_view keys[] = {"a", "b", "c"};
    auto found = this->cache().get_many(keys);
    EXPECT_EQ(found.size(), 2u);
    EXPECT_EQ(found["a"], "1");
    EXPECT_EQ(found["c"], "3");
    EXPECT_FALSE(found.contains("b"));
}

TYPED_TEST(CacheContract, SetManyStoresEveryValue) {
    const std::pair<std::string_view, std::string_view> items[] = {{"x", "1"}, {"y", "2"}};
    EXPECT_TRUE(this->cache().set_many(items).empty());
    EXPECT_EQ(this->cache().get("x"), "1");
    EXPECT_EQ(this->cache().get("y"), "2");
}

TYPED_TEST(CacheContract, KeysBreakingMemcachedRulesThrowInvalidKey) {
    // "t:1:" takes 4 of the 250 bytes.
    std::string longest(246, 'k');
    EXPECT_TRUE(this->cache().set(longest, "v"));
    EXPECT_EQ(this->cache().get(longest), "v");
    EXPECT_THROW(this->cache().set(longest + "k", "v"), InvalidKey);
    EXPECT_THROW(this->cache().get("with space"), InvalidKey);
    EXPECT_THROW(this->cache().get("new\nline"), InvalidKey);
    EXPECT_THROW(this->cache().get(std::string("nul\0", 4)), InvalidKey);
    EXPECT_THROW(this->cache().get("del\x7f"), InvalidKey);
    const std::pair<std::string_view, std::string_view> items[] = {{"fine", "1"},
                                                                   {"not fine", "2"}};
    EXPECT_THROW(this->cache().set_many(items), InvalidKey);
    EXPECT_FALSE(this->cache().get("fine"));  // nothing stored when one key is bad
    try {
        this->cache().get("bad key");
    } catch (const InvalidKey& e) {
        EXPECT_NE(std::string(e.what()).find("space"), std::string::npos) << e.what();
    }
}

TYPED_TEST(CacheContract, UnicodeKeysAreBytes) {
    EXPECT_TRUE(this->cache().set("caf\xc3\xa9", "v"));
    EXPECT_EQ(this->cache().get("caf\xc3\xa9"), "v");
}

TYPED_TEST(CacheContract, LargeValueRoundTrips) {
    std::string big(300 * 1024, 'x');
    for (std::size_t i = 0; i < big.size(); i += 7) big[i] = char(i);
    EXPECT_TRUE(this->cache().set("big", big));
    EXPECT_EQ(this->cache().get("big"), big);
}

TYPED_TEST(CacheContract, ClearRemovesEverything) {
    this->cache().set("a", "1");
    this->cache().set("b", "2");
    this->cache().clear();
    EXPECT_FALSE(this->cache().get("a"));
    EXPECT_FALSE(this->cache().get("b"));
}

TYPED_TEST(CacheContract, CountsHitsAndMisses) {
    this->cache().set("a", "1");
    this->cache().get("a");
    this->cache().get("nope");
    EXPECT_EQ(this->cache().counters().hits.load(), 1u);
    EXPECT_EQ(this->cache().counters().misses.load(), 1u);
    EXPECT_EQ(this->cache().counters().server_errors.load(), 0u);
}

TYPED_TEST(CacheContract, ConcurrentIncrementsAreAtomic) {
    this->cache().set("n", "0");
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([this] {
            for (int i = 0; i < 200; ++i) this->cache().incr("n");
        });
    for (auto& t : threads) t.join();
    auto value = this->cache().get("n");
    ASSERT_TRUE(value);
    EXPECT_EQ(std::stoull(*value), 1600u);
}

TYPED_TEST(CacheContract, PrefixAndVersionArePartOfTheKey) {
    EXPECT_EQ(this->cache().make_key("k"), "t:1:k");
    auto other = this->make("", 7);
    EXPECT_EQ(other->make_key("k"), ":7:k");  // Django's make_key with an empty prefix
}

}  // namespace
}  // namespace famigo::cache
