// The page cache over real memcached: lookups happen in before() on the pool,
// hosts sharing memcached share pages and invalidations, and a memcached that
// dies under load costs hits, never answers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app_driver.hpp"
#include "cache/factory.hpp"
#include "cache/memcached/memcached_cache.hpp"
#include "cache/page/page_cache.hpp"
#include "memcached_env.hpp"

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;
using testing::send;

// One app server: its own cache client, page cache and view.
struct Host {
    Host(const std::string& url, std::chrono::milliseconds retry = 5s) {
        CacheSettings settings;
        settings.keys = {"site", 1};
        settings.connect_timeout = 100ms;
        settings.read_timeout = 100ms;
        settings.retry_dead_after = retry;
        cache = make_cache(url, settings);
        page_cache = std::make_shared<PageCache>(*cache, PageCacheOptions{});
        app.router().add("page", "/page", [this](http::Request& request, http::Response& response) {
            response.text(200, "run " + std::to_string(++runs) + " " + std::string(request.query),
                          "text/html");
        });
        page_cache->cache_route("page", 60s, "apps", testing::whole_query_key);
        app.use(page_cache);
    }
    testing::Exchange get(std::string target) { return send(app, std::move(target)); }

    std::unique_ptr<Cache> cache;
    std::shared_ptr<PageCache> page_cache;
    http::App app;
    std::atomic<int> runs{0};
};

TEST(PageCacheMemcached, HitsAreLookedUpOnThePoolNotInline) {
    testing::MemcachedEnv env(1);
    FAMIGO_REQUIRE_MEMCACHED(env);
    Host host(env.url());
    EXPECT_FALSE(host.page_cache->answers_inline());
    EXPECT_EQ(host.get("/page?a").body, "run 1 a");
    auto hit = host.get("/page?a");
    EXPECT_FALSE(hit.answered_inline);
    EXPECT_EQ(hit.body, "run 1 a");
    EXPECT_FALSE(hit.header("etag").empty());
    EXPECT_EQ(host.runs, 1);
}

TEST(PageCacheMemcached, HostsSharingMemcachedSharePagesAndInvalidations) {
    testing::MemcachedEnv env(2);
    FAMIGO_REQUIRE_MEMCACHED(env);
    Host a(env.url()), b(env.url());
    EXPECT_EQ(a.get("/page?x").body, "run 1 x");
    auto from_b = b.get("/page?x");
    EXPECT_EQ(from_b.body, "run 1 x");  // filled by host a
    EXPECT_EQ(b.runs, 0);
    b.page_cache->invalidate("apps");  // one write, seen by every host
    EXPECT_EQ(a.get("/page?x").body, "run 2 x");
    EXPECT_EQ(b.get("/page?x").body, "run 2 x");
}

TEST(PageCacheMemcached, MemcachedDyingUnderLoadCostsHitsNotAnswers) {
    testing::MemcachedEnv env(1);
    FAMIGO_REQUIRE_MEMCACHED(env);
    Host host(env.url(), 300ms);
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0}, failed{0};
    std::vector<std::thread> load;
    for (int t = 0; t < 4; ++t)
        load.emplace_back([&, t] {
            for (int i = 0; !stop.load(); ++i) {
                auto answer = host.get("/page?k=" + std::to_string((i + t) % 20));
                (answer.status == 200 ? answered : failed)++;
            }
        });
    std::this_thread::sleep_for(300ms);
    env.kill(0);
    std::this_thread::sleep_for(500ms);
    auto* memcached = dynamic_cast<const MemcachedCache*>(host.cache.get());
    EXPECT_GT(host.cache->counters().server_errors.load(), 0u);  // its keys are misses now
    env.restart(0);
    // Past retry_dead_after the server is tried again; then pages are refilled and
    // hit. (The backend's own hits: a page shared by a fill in flight is no proof.)
    bool hits_again = false;
    std::uint64_t before = host.cache->counters().hits.load();
    for (int i = 0; i < 50 && !hits_again; ++i) {
        std::this_thread::sleep_for(200ms);
        std::uint64_t now = host.cache->counters().hits.load();
        hits_again = now - before > 20;
        before = now;
    }
    stop = true;
    for (auto& th : load) th.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_GT(answered.load(), 100);
    EXPECT_TRUE(hits_again);  // the cache is used again
    EXPECT_EQ(memcached->dead_servers(), 0u);
}

}  // namespace
}  // namespace famigo::cache
