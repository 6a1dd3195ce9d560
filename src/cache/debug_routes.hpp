// Test-only routes for the page cache, installed with the others when
// debug.test_routes is on (never in production). They let the integration
// tests and the benchmark drive the page cache through the real server:
//   GET  /_debug/cache/page?...   a cached page (route "debug-cache-page", TTL
//                                 page_cache.default_ttl) whose view counts its
//                                 runs; ms=N sleeps first, bytes=N pads the body
//   GET  /_debug/cache/fills      how many times that view ran
//   POST /_debug/cache/fail?on=1  makes that view throw (on=0: stop)
//   POST /_debug/cache/invalidate?ns=pages   PageCache::invalidate
#pragma once

#include "cache/page/page_cache.hpp"
#include "http/router.hpp"

namespace famigo::cache {

void install_debug_routes(http::Router& router, PageCache& page_cache);

}  // namespace famigo::cache
