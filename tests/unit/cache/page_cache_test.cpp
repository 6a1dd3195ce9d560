// The page cache middleware over the memory backend, driven like the server
// drives it (tests/unit/cache/app_driver.hpp), with a clock moved by hand.
#include "cache/page/page_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "app_driver.hpp"
#include "cache/memory/memory_cache.hpp"
#include "core/strings.hpp"

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;
using testing::send;

class PageCacheTest : public ::testing::Test {
  protected:
    void SetUp() override { build(); }

    void build(PageCacheOptions options = {}) {
        MemoryOptions memory;
        memory.clock_ms = [this] { return now_.load(); };
        cache_ = std::make_unique<MemoryCache>(KeyOptions{"t", 1}, 60s, memory);
        options.clock_ms = [this] { return now_.load(); };
        options.default_ttl = 10s;
        options.stale_while_revalidate = 5s;
        options.stale_if_error = 60s;
        page_cache_ = std::make_shared<PageCache>(*cache_, options);
        app_ = std::make_unique<http::App>();
        app_->router().add(
            "page", "/page",
            [this](http::Request& request, http::Response& response) { view(request, response); });
        app_->router().add("other", "/other", [this](http::Request&, http::Response& response) {
            ++runs_;
            response.text(200, "other");
        });
        // The query is the key as sent, except that "bad" is not cacheable.
        page_cache_->cache_route(
            "page", std::nullopt, "pages", [](std::string_view query, std::string& canonical) {
                return testing::whole_query_key(query, canonical) && query != "bad";
            });
        app_->use(page_cache_);
    }

    void view(http::Request& request, http::Response& response) {
        int run = ++runs_;
        if (auto d = delay_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(d));
        if (fail_.load() == 1) throw std::runtime_error("view failed");
        if (fail_.load() == 2) {
            response.text(503, "down");
            return;
        }
        std::string body = "run " + std::to_string(run) + " " + std::string(request.query);
        if (auto lang = request.header("Accept-Language")) body += " lang=" + std::string(*lang);
        response.text(200, body, "text/html");
        for (const auto& [name, value] : extra_headers_) response.add_header(name, value);
    }

    testing::Exchange get(std::string target, testing::Headers headers = {}) {
        return send(*app_, std::move(target), std::move(headers));
    }

    std::atomic<std::int64_t> now_{1'700'000'000'000};
    std::unique_ptr<MemoryCache> cache_;
    std::shared_ptr<PageCache> page_cache_;
    std::unique_ptr<http::App> app_;
    std::atomic<int> runs_{0};
    std::atomic<int> delay_{0};
    std::atomic<int> fail_{0};  // 1: throw, 2: answer 503
    testing::Headers extra_headers_;
};

TEST_F(PageCacheTest, AMissFillsAndHitsAreAnsweredInlineSharingOneBody) {
    auto first = get("/page?a=1");
    EXPECT_FALSE(first.answered_inline);
    EXPECT_EQ(first.body, "run 1 a=1");
    EXPECT_FALSE(first.header("etag").empty());
    auto second = get("/page?a=1");
    auto third = get("/page?a=1");
    EXPECT_TRUE(second.answered_inline);
    EXPECT_EQ(second.body, "run 1 a=1");
    EXPECT_EQ(second.header("content-type"), "text/html");
    EXPECT_EQ(second.header("etag"), first.header("etag"));
    ASSERT_NE(second.shared, nullptr);
    EXPECT_EQ(second.shared, third.shared);  // the same bytes, never copied
    EXPECT_EQ(runs_, 1);
    EXPECT_EQ(page_cache_->counters().hits, 2u);
    EXPECT_EQ(page_cache_->counters().misses, 1u);
    EXPECT_EQ(page_cache_->counters().fills, 1u);
    EXPECT_TRUE(page_cache_->answers_inline());
}

TEST_F(PageCacheTest, MatchingIfNoneMatchGets304WithoutBody) {
    auto first = get("/page");
    auto etag = first.header("etag");
    auto not_modified = get("/page", {{"If-None-Match", etag}});
    EXPECT_EQ(not_modified.status, 304);
    EXPECT_TRUE(not_modified.body.empty());
    EXPECT_EQ(not_modified.header("etag"), etag);
    EXPECT_TRUE(not_modified.header("content-type").empty());
    EXPECT_EQ(get("/page", {{"If-None-Match", "\"other\""}}).status, 200);
    EXPECT_EQ(get("/page", {{"If-None-Match", "W/" + etag}}).status, 304);  // weak comparison
    EXPECT_EQ(page_cache_->counters().not_modified, 2u);
}

TEST_F(PageCacheTest, KeyCoversHostPathAndQuery) {
    get("/page?x=1");
    get("/page?x=2");
    send(*app_, "/page?x=1", {}, http::Method::Get, "other.example.com");
    get("/page?x=1");
    EXPECT_EQ(runs_, 3);
}

TEST_F(PageCacheTest, QueryStringsAreNotCachedOnRoutesWithoutAQueryKey) {
    page_cache_->cache_route("other");
    for (int i = 0; i < 3; ++i) get("/other?x=" + std::to_string(i));
    EXPECT_EQ(runs_, 3);
    EXPECT_EQ(page_cache_->counters().fills, 0u);
    get("/other");
    get("/other");
    EXPECT_EQ(runs_, 4);
    EXPECT_EQ(page_cache_->counters().fills, 1u);
}

TEST_F(PageCacheTest, IgnoreQueryServesEveryQueryStringFromThePlainPage) {
    page_cache_->cache_route("other", std::nullopt, "pages", ignore_query);
    get("/other");
    for (int i = 0; i < 50; ++i) get("/other?junk=" + std::to_string(i));
    EXPECT_EQ(runs_, 1);
    EXPECT_EQ(page_cache_->counters().fills, 1u);
}

TEST_F(PageCacheTest, CanonicalQueryKeysShareOnePageAndRefuseUncacheableQueries) {
    // A key that keeps only "a", as a view that reads only "a" would.
    page_cache_->cache_route("other", std::nullopt, "pages",
                             [](std::string_view query, std::string& canonical) {
                                 canonical.clear();
                                 for (auto part : strings::split(query, '&'))
                                     if (part.starts_with("a=")) canonical.assign(part);
                                 return query.find('%') == std::string_view::npos;
                             });
    get("/other?a=1&b=2");
    get("/other?b=3&a=1");
    get("/other?a=1&zzz=9");
    EXPECT_EQ(runs_, 1);
    get("/other?a=2");
    EXPECT_EQ(runs_, 2);
    get("/other?a=%zz");  // not cacheable: runs every time, never stored
    get("/other?a=%zz");
    EXPECT_EQ(runs_, 4);
    EXPECT_EQ(page_cache_->counters().fills, 2u);
    get("/page?bad");
    get("/page?bad");
    EXPECT_EQ(runs_, 6);
}

TEST_F(PageCacheTest, RequestsWithCookiesOrAuthorizationAreNeverServedOrFilled) {
    get("/page");
    EXPECT_EQ(get("/page", {{"Cookie", "sessionid=abc"}}).body, "run 2 ");
    EXPECT_EQ(get("/page", {{"Authorization", "Basic eDp5"}}).body, "run 3 ");
    EXPECT_EQ(get("/page").body, "run 1 ");
}

TEST_F(PageCacheTest, TheAnonymousRuleCanBeReplaced) {
    PageCacheOptions options;
    options.is_anonymous = [](const http::Request& r) { return !r.header("X-Logged-In"); };
    build(options);
    get("/page");
    EXPECT_EQ(get("/page", {{"Cookie", "csrftoken=x"}}).body, "run 1 ");
    EXPECT_EQ(get("/page", {{"X-Logged-In", "1"}}).body, "run 2 ");
}

TEST_F(PageCacheTest, RoutesThatDidNotOptInAreNotCached) {
    get("/other");
    get("/other");
    EXPECT_EQ(runs_, 2);
}

TEST_F(PageCacheTest, InlineRoutesAreNeverCachedSoTheyNeverWait) {
    app_->router().add(
        "fast", "/fast",
        [this](http::Request&, http::Response& response) {
            response.text(200, std::to_string(++runs_));
        },
        http::Execution::Inline);
    page_cache_->cache_route("fast");
    get("/fast");
    EXPECT_EQ(get("/fast").body, "2");
}

TEST_F(PageCacheTest, HeadIsServedFromCacheButNeverFills) {
    send(*app_, "/page", {}, http::Method::Head);
    EXPECT_EQ(runs_, 1);
    EXPECT_EQ(get("/page").body, "run 2 ");
    auto head = send(*app_, "/page", {}, http::Method::Head);
    EXPECT_TRUE(head.answered_inline);
    EXPECT_EQ(runs_, 2);
}

TEST_F(PageCacheTest, VaryHeadersMakeSeparateVariants) {
    extra_headers_ = {{"Vary", "Accept-Language"}};
    EXPECT_EQ(get("/page", {{"Accept-Language", "en"}}).body, "run 1  lang=en");
    EXPECT_EQ(get("/page", {{"Accept-Language", "fr"}}).body, "run 2  lang=fr");
    auto en = get("/page", {{"Accept-Language", "en"}});
    EXPECT_TRUE(en.answered_inline);
    EXPECT_EQ(en.body, "run 1  lang=en");
    EXPECT_EQ(en.header("vary"), "Accept-Language");
    EXPECT_EQ(get("/page", {{"Accept-Language", "fr"}}).body, "run 2  lang=fr");
    EXPECT_EQ(get("/page").body, "run 3 ");  // no header: a variant of its own
    EXPECT_EQ(runs_, 3);
}

TEST_F(PageCacheTest, ResponsesThatMustNotBeSharedAreNotStored) {
    extra_headers_ = {{"Set-Cookie", "a=b"}};
    get("/page?c");
    get("/page?c");
    extra_headers_ = {{"Cache-Control", "private"}};
    get("/page?p");
    get("/page?p");
    EXPECT_EQ(runs_, 4);
    EXPECT_EQ(page_cache_->counters().fills, 0u);
}

TEST_F(PageCacheTest, MaxAgeFromTheViewOverridesTheRouteTtl) {
    extra_headers_ = {{"Cache-Control", "max-age=2"}};
    get("/page");
    now_ += 1999;
    EXPECT_EQ(get("/page").body, "run 1 ");
    now_ += 1 + 5000;  // past max-age and the stale-while-revalidate window
    EXPECT_EQ(get("/page").body, "run 2 ");
}

TEST_F(PageCacheTest, ExpiredPagesAreFilledAgain) {
    get("/page");
    now_ += 10'000 + 5'000;
    auto again = get("/page");
    EXPECT_FALSE(again.answered_inline);
    EXPECT_EQ(again.body, "run 2 ");
}

TEST_F(PageCacheTest, InvalidatingANamespaceDropsAllItsPagesAtOnce) {
    app_->router().add("app", "/app/<slug:slug>/", [this](http::Request& r, http::Response& res) {
        res.text(200, "app " + std::string(*r.params.get("slug")) + " " + std::to_string(++runs_));
    });
    page_cache_->cache_route("app", 60s, "apps");
    for (const char* path : {"/app/a/", "/app/b/", "/app/c/"}) get(path);
    get("/page");
    EXPECT_EQ(runs_, 4);
    page_cache_->invalidate("apps");
    for (const char* path : {"/app/a/", "/app/b/", "/app/c/"})
        EXPECT_FALSE(get(path).answered_inline);
    EXPECT_EQ(runs_, 7);
    EXPECT_TRUE(get("/page").answered_inline);  // another namespace: untouched
    EXPECT_TRUE(get("/app/a/").answered_inline);
    EXPECT_THROW(page_cache_->cache_route("x", 1s, "bad space"), famigo::Error);
}

TEST_F(PageCacheTest, StaleIsServedWhileOneRequestRevalidates) {
    get("/page");
    now_ += 10'000 + 1'000;  // stale, inside stale_while_revalidate
    delay_ = 1000;           // long enough for the request below even on a loaded machine
    std::thread refresher([this] { EXPECT_EQ(get("/page").body, "run 2 "); });
    while (runs_.load() < 2) std::this_thread::sleep_for(1ms);  // the refresh is running
    auto stale = get("/page");
    EXPECT_TRUE(stale.answered_inline);
    EXPECT_EQ(stale.body, "run 1 ");
    refresher.join();
    EXPECT_EQ(get("/page").body, "run 2 ");
    EXPECT_EQ(runs_, 2);
    EXPECT_EQ(page_cache_->counters().stale_revalidate, 1u);
}

TEST_F(PageCacheTest, StaleIsServedWhenTheViewFailsOrAnswers5xx) {
    get("/page");
    now_ += 10'000 + 20'000;  // past revalidation, inside stale_if_error
    fail_ = 1;
    auto thrown = get("/page");
    EXPECT_EQ(thrown.status, 200);
    EXPECT_EQ(thrown.body, "run 1 ");
    fail_ = 2;
    auto unavailable = get("/page");
    EXPECT_EQ(unavailable.status, 200);
    EXPECT_EQ(unavailable.body, "run 1 ");
    EXPECT_EQ(page_cache_->counters().stale_error, 2u);
    now_ += 60'000;  // past stale_if_error: the failure shows
    EXPECT_EQ(get("/page").status, 503);
    fail_ = 0;
    EXPECT_EQ(get("/page").body, "run 5 ");
}

TEST_F(PageCacheTest, AnInvalidatedPageIsStillBetterThanAnError) {
    get("/page");
    page_cache_->invalidate("pages");
    fail_ = 1;
    EXPECT_EQ(get("/page").body, "run 1 ");
}

// 500 concurrent requests for one expired page run its view once.
void stampede(PageCacheTest& t, int threads, std::atomic<int>& statuses_ok,
              std::set<std::string>& bodies, std::mutex& mutex,
              const std::function<testing::Exchange()>& request) {
    std::mutex gate_mutex;
    std::condition_variable gate;
    bool open = false;
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
        pool.emplace_back([&] {
            {
                std::unique_lock lock(gate_mutex);
                gate.wait(lock, [&] { return open; });
            }
            auto answer = request();
            if (answer.status == 200) ++statuses_ok;
            std::lock_guard lock(mutex);
            bodies.insert(answer.body);
        });
    {
        std::lock_guard lock(gate_mutex);
        open = true;
    }
    gate.notify_all();
    for (auto& th : pool) th.join();
    (void)t;
}

TEST_F(PageCacheTest, StampedeOf500OnAnExpiredPageRunsTheViewOnce) {
    get("/page");
    now_ += 10'000 + 5'000;  // expired beyond stale-while-revalidate: nothing to serve
    runs_ = 0;
    delay_ = 100;  // a slow view: every request arrives while it runs
    std::atomic<int> ok{0};
    std::set<std::string> bodies;
    std::mutex mutex;
    stampede(*this, 500, ok, bodies, mutex, [this] { return get("/page"); });
    EXPECT_EQ(runs_.load(), 1);
    EXPECT_EQ(ok.load(), 500);
    EXPECT_EQ(bodies, std::set<std::string>{"run 1 "});
    EXPECT_EQ(page_cache_->counters().fills, 2u);
    EXPECT_EQ(page_cache_->counters().fill_wait_timeouts, 0u);
}

TEST_F(PageCacheTest, StampedeOf500OnAStalePageRunsTheViewOnceAndServesStale) {
    get("/page");
    now_ += 10'000 + 1'000;  // stale, inside stale_while_revalidate
    runs_ = 0;
    delay_ = 100;
    std::atomic<int> ok{0};
    std::set<std::string> bodies;
    std::mutex mutex;
    stampede(*this, 500, ok, bodies, mutex, [this] { return get("/page"); });
    EXPECT_EQ(runs_.load(), 1);
    EXPECT_EQ(ok.load(), 500);
    EXPECT_TRUE(bodies.contains("run 1 "));  // the refresher's own answer
    EXPECT_GE(page_cache_->counters().stale_revalidate.load(), 1u);
}

TEST_F(PageCacheTest, AWaiterThatTimesOutRunsTheViewItself) {
    PageCacheOptions options;
    options.fill_timeout = 20ms;
    build(options);
    delay_ = 1000;
    std::thread leader([this] { get("/page"); });
    while (runs_.load() < 1) std::this_thread::sleep_for(1ms);
    auto waited = get("/page");
    leader.join();
    EXPECT_EQ(waited.status, 200);
    EXPECT_EQ(runs_, 2);
    EXPECT_EQ(page_cache_->counters().fill_wait_timeouts, 1u);
}

TEST_F(PageCacheTest, DisabledDoesNothing) {
    PageCacheOptions options;
    options.enabled = false;
    build(options);
    get("/page");
    get("/page");
    EXPECT_EQ(runs_, 2);
    EXPECT_FALSE(page_cache_->answers_inline());
}

TEST_F(PageCacheTest, RoutesFromConfigOptIn) {
    PageCacheOptions options;
    options.routes = {parse_route_rule("other=1s@misc", "test")};
    build(options);
    get("/other");
    EXPECT_TRUE(get("/other").answered_inline);
    now_ += 1000 + 5000;
    EXPECT_FALSE(get("/other").answered_inline);
}

}  // namespace
}  // namespace famigo::cache
