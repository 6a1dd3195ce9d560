// The login throttle on the memory cache (and a real memcached for atomic
// counting across clients): limits per account and per address, the lock-out
// time, clearing on success, keys for hostile usernames.
#include "web/auth/throttle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "cache/factory.hpp"
#include "memcached_env.hpp"

namespace famigo::web::auth {
namespace {

using namespace std::chrono_literals;

ThrottleOptions limits(std::int64_t account, std::int64_t address,
                       std::chrono::seconds window = 900s) {
    ThrottleOptions options;
    options.window = window;
    options.max_failures_per_account = account;
    options.max_failures_per_address = address;
    return options;
}

class ThrottleTest : public ::testing::Test {
  protected:
    std::unique_ptr<cache::Cache> cache = cache::make_cache("memory://", cache::CacheSettings{});
    std::int64_t now = 1'700'000'000;
};

TEST_F(ThrottleTest, LocksAnAccountAtTheLimit) {
    LoginThrottle throttle(*cache, limits(5, 100), [this] { return now; });
    for (int i = 0; i < 4; ++i) throttle.record_failure("ann", "10.0.0.1");
    EXPECT_FALSE(throttle.locked("ann", "10.0.0.1"));
    throttle.record_failure("Ann", "10.0.0.2");  // the account is case-insensitive
    auto wait = throttle.locked("ann", "10.0.0.9");
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 900s);
    now += 300;
    EXPECT_EQ(*throttle.locked("ANN", "10.0.0.9"), 600s);
    EXPECT_FALSE(throttle.locked("bob", "10.0.0.1")) << "other accounts are not locked";
    EXPECT_EQ(cache->get(LoginThrottle::account_key("ann")), "5");
}

TEST_F(ThrottleTest, LocksAnAddressAcrossUsernames) {
    LoginThrottle throttle(*cache, limits(100, 3), [this] { return now; });
    throttle.record_failure("a", "::1");
    throttle.record_failure("b", "::1");
    EXPECT_FALSE(throttle.locked("c", "::1"));
    throttle.record_failure("c", "::1");
    EXPECT_TRUE(throttle.locked("d", "::1"));
    EXPECT_FALSE(throttle.locked("d", "::2"));
}

TEST_F(ThrottleTest, SuccessClearsTheAccountOnly) {
    LoginThrottle throttle(*cache, limits(2, 3), [this] { return now; });
    throttle.record_failure("ann", "1.2.3.4");
    throttle.record_success("ann");
    throttle.record_failure("ann", "1.2.3.4");
    EXPECT_FALSE(throttle.locked("ann", "5.6.7.8")) << "one failure since the success";
    throttle.record_failure("bob", "1.2.3.4");
    EXPECT_TRUE(throttle.locked("zed", "1.2.3.4")) << "the address still counts all three";
}

TEST_F(ThrottleTest, WindowEnds) {
    LoginThrottle throttle(*cache, limits(1, 10, 1s));
    throttle.record_failure("ann", "1.2.3.4");
    EXPECT_TRUE(throttle.locked("ann", "1.2.3.4"));
    std::this_thread::sleep_for(1200ms);
    EXPECT_FALSE(throttle.locked("ann", "1.2.3.4"));
}

TEST_F(ThrottleTest, HostileUsernamesMakeValidKeys) {
    LoginThrottle throttle(*cache, limits(2, 100));
    for (std::string name : {std::string("<script>alert(1)</script> x"), std::string(400, 'y'),
                             std::string("a\r\nb"), std::string(""), std::string("é ü")}) {
        EXPECT_NO_THROW(throttle.record_failure(name, "1.2.3.4")) << name;
        EXPECT_NO_THROW(throttle.record_failure(name, "")) << name;
        EXPECT_TRUE(throttle.locked(name, "9.9.9.9")) << name;
    }
    EXPECT_NE(LoginThrottle::account_key("a b"), LoginThrottle::account_key("a  b"));
    EXPECT_EQ(LoginThrottle::account_key("Ann"), "login-fail:user:ann");
    EXPECT_EQ(LoginThrottle::address_key("::1"), "login-fail:addr:::1");
}

void hammer(LoginThrottle& throttle, int threads, int each) {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            for (int i = 0; i < each; ++i) throttle.record_failure("ann", "1.2.3.4");
        });
    for (auto& worker : workers) worker.join();
}

TEST_F(ThrottleTest, CountingIsAtomic) {
    LoginThrottle throttle(*cache, limits(1'000'000, 1'000'000));
    hammer(throttle, 8, 250);
    EXPECT_EQ(cache->get(LoginThrottle::account_key("ann")), "2000");
    EXPECT_EQ(cache->get(LoginThrottle::address_key("1.2.3.4")), "2000");
}

TEST(ThrottleMemcached, CountingIsAtomicAcrossClients) {
    famigo::testing::MemcachedEnv env(1);
    FAMIGO_REQUIRE_MEMCACHED(env);
    // Two cache clients, as two hosts would have.
    auto first = cache::make_cache(env.url(), cache::CacheSettings{});
    auto second = cache::make_cache(env.url(), cache::CacheSettings{});
    LoginThrottle a(*first, limits(1'000'000, 1'000'000));
    LoginThrottle b(*second, limits(1'000'000, 1'000'000));
    std::thread other([&] { hammer(b, 2, 200); });
    hammer(a, 2, 200);
    other.join();
    EXPECT_EQ(first->get(LoginThrottle::account_key("ann")), "800");
}

}  // namespace
}  // namespace famigo::web::auth
