// The login throttle on the memory cache (and a real memcached for atomic
// counting across clients): per (account, address) first, per address, the
// account's growing delays (never a hard lock), counting before the password
// check so simultaneous attempts cannot slip past a limit, giving attempts
// back, keys for hostile usernames.
#include "web/auth/throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cache/factory.hpp"
#include "memcached_env.hpp"

namespace famigo::web::auth {
namespace {

using namespace std::chrono_literals;

ThrottleOptions limits(std::int64_t pair, std::int64_t address, std::int64_t account = 1000,
                       std::chrono::seconds window = 900s) {
    ThrottleOptions options;
    options.window = window;
    options.max_failures_per_account_address = pair;
    options.max_failures_per_address = address;
    options.account_slowdown_after = account;
    options.account_max_delay = 8s;
    return options;
}

class ThrottleTest : public ::testing::Test {
  protected:
    std::unique_ptr<cache::Cache> cache = cache::make_cache("memory://", cache::CacheSettings{});
    std::int64_t now = 1'700'000'000'000;  // ms
    LoginThrottle::Clock clock = [this] { return now; };

    // `n` attempts that are let through and fail.
    static void fail(const LoginThrottle& throttle, std::string_view user, std::string_view address,
                     int n = 1) {
        for (int i = 0; i < n; ++i) ASSERT_FALSE(throttle.begin(user, address)) << i;
    }
};

TEST_F(ThrottleTest, ThrottlesAnAddressForOneAccountOnly) {
    LoginThrottle throttle(*cache, limits(5, 100), clock);
    fail(throttle, "ann", "10.0.0.1", 4);
    fail(throttle, "Ann", "10.0.0.1");  // the account is case-insensitive
    auto wait = throttle.begin("ann", "10.0.0.1");
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 900s);
    now += 300'000;
    EXPECT_EQ(*throttle.begin("ANN", "10.0.0.1"), 600s);
    EXPECT_FALSE(throttle.begin("ann", "10.0.0.2")) << "the owner, from another address";
    EXPECT_FALSE(throttle.begin("bob", "10.0.0.1")) << "another account from that address";
    EXPECT_EQ(cache->get(LoginThrottle::pair_key("ann", "10.0.0.1")), "5")
        << "refused attempts are not counted";
}

TEST_F(ThrottleTest, ThrottlesAnAddressAcrossUsernames) {
    LoginThrottle throttle(*cache, limits(5, 3), clock);
    fail(throttle, "a", "::1");
    fail(throttle, "b", "::1");
    fail(throttle, "c", "::1");
    EXPECT_TRUE(throttle.begin("d", "::1"));
    EXPECT_FALSE(throttle.begin("d", "::2"));
}

TEST_F(ThrottleTest, AnAccountSlowsDownWithGrowingDelaysButNeverLocks) {
    LoginThrottle throttle(*cache, limits(5, 100, 4), clock);
    for (int i = 0; i < 4; ++i) fail(throttle, "ann", "10.0.1." + std::to_string(i));
    // Past the threshold: one attempt per delay, from any address.
    fail(throttle, "ann", "10.0.2.1");
    EXPECT_EQ(throttle.begin("ann", "10.0.2.2"), 1s);
    now += 1000;
    fail(throttle, "ann", "10.0.2.3");
    EXPECT_EQ(throttle.begin("ann", "10.0.2.4"), 2s);
    now += 2000;
    fail(throttle, "ann", "10.0.2.5");
    EXPECT_EQ(throttle.begin("ann", "10.0.2.6"), 4s);
    now += 4000;
    fail(throttle, "ann", "10.0.2.7");
    EXPECT_EQ(throttle.begin("ann", "10.0.2.8"), 8s);
    now += 8000;
    fail(throttle, "ann", "10.0.2.9");
    EXPECT_EQ(throttle.begin("ann", "10.0.3.1"), 8s) << "capped at account_max_delay";
    now += 8000;
    EXPECT_FALSE(throttle.begin("ann", "10.0.3.2")) << "after the delay, anyone may try";
    EXPECT_FALSE(throttle.begin("bob", "10.0.3.3")) << "other accounts are not slowed";
}

TEST_F(ThrottleTest, SuccessClearsItsPairAndGivesItsAttemptBack) {
    LoginThrottle throttle(*cache, limits(3, 4), clock);
    fail(throttle, "ann", "1.2.3.4", 2);
    ASSERT_FALSE(throttle.begin("ann", "1.2.3.4"));
    throttle.succeeded("ann", "1.2.3.4");
    EXPECT_FALSE(cache->get(LoginThrottle::pair_key("ann", "1.2.3.4")));
    EXPECT_EQ(cache->get(LoginThrottle::address_key("1.2.3.4")), "2");
    EXPECT_EQ(cache->get(LoginThrottle::account_key("ann")), "2");
    fail(throttle, "ann", "1.2.3.4", 2);
    EXPECT_TRUE(throttle.begin("bob", "1.2.3.4")) << "the address counted its four failures";
}

TEST_F(ThrottleTest, AbandonedAttemptsDoNotCount) {
    LoginThrottle throttle(*cache, limits(1, 1), clock);
    for (int i = 0; i < 3; ++i) {
        ASSERT_FALSE(throttle.begin("ann", "1.2.3.4"));
        throttle.abandoned("ann", "1.2.3.4");
    }
    EXPECT_EQ(cache->get(LoginThrottle::pair_key("ann", "1.2.3.4")), "0");
}

TEST_F(ThrottleTest, WindowEnds) {
    LoginThrottle throttle(*cache, limits(1, 10, 1000, 1s));
    fail(throttle, "ann", "1.2.3.4");
    EXPECT_EQ(throttle.begin("ann", "1.2.3.4"), 1s);
    std::this_thread::sleep_for(1200ms);
    EXPECT_FALSE(throttle.begin("ann", "1.2.3.4"));
}

TEST_F(ThrottleTest, HostileUsernamesMakeValidKeys) {
    LoginThrottle throttle(*cache, limits(2, 100));
    for (std::string name : {std::string("<script>alert(1)</script> x"), std::string(400, 'y'),
                             std::string("a\r\nb"), std::string(""), std::string("é ü")}) {
        EXPECT_NO_THROW(fail(throttle, name, "1.2.3.4", 2)) << name;
        EXPECT_TRUE(throttle.begin(name, "1.2.3.4")) << name;
        EXPECT_NO_THROW(throttle.begin(name, "")) << name;
    }
    EXPECT_NE(LoginThrottle::account_key("a b"), LoginThrottle::account_key("a  b"));
    EXPECT_EQ(LoginThrottle::account_key("Ann"), "login-fail:user:ann");
    EXPECT_EQ(LoginThrottle::address_key("::1"), "login-fail:addr:::1");
    EXPECT_EQ(LoginThrottle::pair_key("Ann", "::1"), "login-fail:pair:ann|::1");
}

// `threads` threads each make `each` attempts at once; returns how many were let through.
int hammer(const LoginThrottle& first, const LoginThrottle& second, int threads, int each) {
    std::atomic<int> admitted{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            const LoginThrottle& throttle = t % 2 ? second : first;
            for (int i = 0; i < each; ++i)
                if (!throttle.begin("ann", "1.2.3.4")) admitted.fetch_add(1);
        });
    for (auto& worker : workers) worker.join();
    return admitted.load();
}

TEST_F(ThrottleTest, SimultaneousAttemptsCannotSlipPastTheLimit) {
    LoginThrottle throttle(*cache, limits(5, 1000));
    EXPECT_EQ(hammer(throttle, throttle, 8, 50), 5);
    EXPECT_EQ(cache->get(LoginThrottle::pair_key("ann", "1.2.3.4")), "5");
}

TEST_F(ThrottleTest, CountingIsAtomic) {
    LoginThrottle throttle(*cache, limits(1'000'000, 1'000'000, 1'000'000));
    EXPECT_EQ(hammer(throttle, throttle, 8, 250), 2000);
    EXPECT_EQ(cache->get(LoginThrottle::account_key("ann")), "2000");
    EXPECT_EQ(cache->get(LoginThrottle::address_key("1.2.3.4")), "2000");
}

TEST(ThrottleMemcached, LimitHoldsAcrossClients) {
    famigo::testing::MemcachedEnv env(1);
    FAMIGO_REQUIRE_MEMCACHED(env);
    // Two cache clients, as two hosts would have.
    auto first = cache::make_cache(env.url(), cache::CacheSettings{});
    auto second = cache::make_cache(env.url(), cache::CacheSettings{});
    LoginThrottle a(*first, limits(1'000'000, 1'000'000, 1'000'000));
    LoginThrottle b(*second, limits(1'000'000, 1'000'000, 1'000'000));
    EXPECT_EQ(hammer(a, b, 4, 200), 800);
    EXPECT_EQ(first->get(LoginThrottle::account_key("ann")), "800");
    first->clear();
    LoginThrottle c(*first, limits(7, 1'000'000));
    LoginThrottle d(*second, limits(7, 1'000'000));
    EXPECT_EQ(hammer(c, d, 4, 50), 7);
}

}  // namespace
}  // namespace famigo::web::auth
