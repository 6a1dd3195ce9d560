// The page cache: an http::Middleware that answers repeated anonymous GET and
// HEAD requests for opted-in routes from the cache, like Django's
// cache_page / cache middleware, and protects views from stampedes.
//
//  - Opt-in per route: cache_route("app-detail", 10min, "apps") (or the
//    page_cache.routes config key). A view may shorten or cancel caching with
//    Cache-Control max-age / private / no-store on its response.
//  - The key covers host, path, the route's canonical query (see QueryKey)
//    and the request headers the cached response names in Vary (a marker
//    under the URL's key lists them). A request with a query string is only
//    cached when its route says which parameters it reads: otherwise every
//    made-up query string would be a new page, and a flood of them would
//    evict everything else.
//  - Only 200 answers without Set-Cookie, to anonymous requests (see
//    AnonymousRule), are stored; the ETag is computed once at fill and
//    If-None-Match gets 304.
//  - invalidate("apps") makes every page of that namespace stale in O(1): a
//    generation counter kept in the cache and recorded in each page.
//  - Single flight: concurrent misses on one key run the view once; the rest
//    wait (page_cache.fill_timeout) and share its page.
//  - stale_while_revalidate: a page past its TTL is served while one request
//    refreshes it; stale_if_error: a stale page replaces a 5xx or a throwing view.
//  - With an in-process backend hits are answered in answer_inline() on the
//    I/O thread, the body shared (never copied); with memcached, in before().
// Register every route before the server starts: the route table is then
// read without a lock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "cache/cache.hpp"
#include "cache/page/page_options.hpp"
#include "cache/page/page_store.hpp"
#include "cache/single_flight.hpp"
#include "http/middleware.hpp"

namespace famigo::cache {

struct PageCacheCounters {
    std::atomic<std::uint64_t> hits{0};    // answered from a fresh page (or a shared fill)
    std::atomic<std::uint64_t> misses{0};  // ran the view for want of a page
    std::atomic<std::uint64_t> fills{0};   // pages stored
    std::atomic<std::uint64_t> stale_revalidate{0};  // stale served while another request refreshed
    std::atomic<std::uint64_t> stale_error{0};       // stale served instead of a 5xx
    std::atomic<std::uint64_t> fill_waits{0};        // requests that waited for another's fill
    std::atomic<std::uint64_t> fill_wait_timeouts{0};
    std::atomic<std::uint64_t> not_modified{0};    // 304s from a cached ETag
    std::atomic<std::uint64_t> store_failures{0};  // pages the backend did not keep
};

// The canonical form of a route's query string for the cache key: only the
// parameters its view reads, each once, in one order. Writes it into
// `canonical` (reused) and returns true; false when the query is not cacheable
// (malformed: the view answers it with a 400). Unknown parameters are left out,
// so they cannot make new pages.
using QueryKey = std::function<bool(std::string_view query, std::string& canonical)>;
// For routes whose views read no query parameter: every query string is the
// same page as none.
bool ignore_query(std::string_view query, std::string& canonical);

class PageCache : public http::Middleware {
  public:
    PageCache(Cache& cache, PageCacheOptions options);
    ~PageCache() override;

    // Caches the pages of the named route; ttl unset: page_cache.default_ttl.
    // Without a query_key, requests with a query string are not cached.
    // Throws famigo::ConfigError for a bad namespace name.
    void cache_route(const std::string& route_name,
                     std::optional<std::chrono::milliseconds> ttl = std::nullopt,
                     const std::string& space = "pages", QueryKey query_key = {});
    // Makes every page of the namespace stale at once (one cache write).
    void invalidate(std::string_view space);

    bool answer_inline(http::Request& request, http::Response& response) override;
    bool before(http::Request& request, http::Response& response) override;
    void after(http::Request& request, http::Response& response) override;

    const PageCacheCounters& counters() const { return counters_; }
    // True when hits are answered on the I/O thread.
    bool answers_inline() const { return options_.enabled && !store_->blocking(); }

    struct Lookup;
    struct Pending;

  private:
    struct RoutePolicy {
        std::chrono::milliseconds ttl;
        PageNamespace* space;
        QueryKey query_key;
    };
    enum class Freshness { Missing, Fresh, Stale, Expired };

    const RoutePolicy* eligible(const http::Request& request) const;
    PageNamespace& space_named(std::string_view name);
    // False when the request's query string is not cacheable on this route.
    bool lookup(const http::Request& request, const RoutePolicy& policy, Lookup& out);
    Freshness freshness(const Lookup& look, std::int64_t now) const;
    bool usable_on_error(const PageRecord& page, std::int64_t now) const;
    void respond(const PageRecord& page, const http::Request& request, http::Response& response);
    std::shared_ptr<const PageRecord> fill(Pending& pending, const http::Request& request,
                                           http::Response& response);
    void abandon(Pending& pending);
    std::int64_t now() const { return clock_(); }

    PageCacheOptions options_;
    std::function<std::int64_t()> clock_;
    std::unique_ptr<PageStore> store_;
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, RoutePolicy, NameHash, std::equal_to<>> routes_;
    std::mutex spaces_mutex_;
    std::unordered_map<std::string, std::unique_ptr<PageNamespace>, NameHash, std::equal_to<>>
        spaces_;
    SingleFlight<std::shared_ptr<const PageRecord>> flights_;
    PageCacheCounters counters_;
};

}  // namespace famigo::cache
