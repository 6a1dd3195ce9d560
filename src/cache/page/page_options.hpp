// Settings of the page cache middleware (cache/page/page_cache.hpp), and its
// configuration keys:
//   page_cache.enabled                 off: the middleware does nothing
//   page_cache.default_ttl             freshness of a page whose route gives no TTL ("10m")
//   page_cache.stale_while_revalidate  after that, a stale page is served while one request
//   refreshes it ("30s") page_cache.stale_if_error          a stale page replaces a 5xx or a failed
//   view for this long ("5m") page_cache.fill_timeout            how long a request waits for
//   another one's fill ("5s") page_cache.max_body                larger pages are not cached
//   ("512KiB") page_cache.routes                  route opt-ins from config: "name=TTL" or
//   "name=TTL@namespace"
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "http/request.hpp"

namespace famigo::cache {

// Whether a request may see (and fill) shared pages. Today: no Cookie and no
// Authorization header. The session layer will refine it (e.g. a session
// cookie without a logged-in user is still anonymous).
using AnonymousRule = std::function<bool(const http::Request&)>;
bool anonymous_by_headers(const http::Request& request);

struct RouteRule {
    std::string route;  // route name
    std::chrono::milliseconds ttl;
    std::string space = "pages";  // invalidation namespace
};

struct PageCacheOptions {
    bool enabled = true;
    std::chrono::milliseconds default_ttl{600000};
    std::chrono::milliseconds stale_while_revalidate{30000};
    std::chrono::milliseconds stale_if_error{300000};
    std::chrono::milliseconds fill_timeout{5000};
    std::size_t max_body = 512 * 1024;
    std::vector<RouteRule> routes;  // from page_cache.routes
    AnonymousRule is_anonymous = anonymous_by_headers;
    // Wall-clock milliseconds (pages in memcached are shared between hosts);
    // empty: std::chrono::system_clock. Tests move it by hand.
    std::function<std::int64_t()> clock_ms;
};

void define_page_cache_config(config::Schema& schema);
PageCacheOptions page_cache_options(const config::Config& config);
// "app-detail=10m" or "app-detail=10m@apps"; throws famigo::ConfigError.
RouteRule parse_route_rule(const std::string& text, const std::string& origin);
// Namespaces become part of keys: letters, digits, '-', '_' and '.', at most 64.
bool valid_namespace(std::string_view name);

}  // namespace famigo::cache
