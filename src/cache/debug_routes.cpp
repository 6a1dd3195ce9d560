#include "cache/debug_routes.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "core/strings.hpp"

namespace famigo::cache {
namespace {

struct DebugState {
    std::atomic<std::uint64_t> fills{0};
    std::atomic<bool> failing{false};
};

std::string_view query_param(std::string_view query, std::string_view name) {
    for (auto pair : strings::split(query, '&'))
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            return pair.substr(name.size() + 1);
    return {};
}

std::uint64_t number_param(std::string_view query, std::string_view name, std::uint64_t limit) {
    auto n = strings::parse_u64(query_param(query, name));
    return n ? std::min(*n, limit) : 0;
}

}  // namespace

void install_debug_routes(http::Router& router, PageCache& page_cache) {
    auto state = std::make_shared<DebugState>();
    router.add("debug-cache-page", "/_debug/cache/page",
               [state](http::Request& request, http::Response& response) {
                   if (auto ms = number_param(request.query, "ms", 10000))
                       std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                   if (state->failing.load()) throw std::runtime_error("debug page told to fail");
                   std::uint64_t fill = state->fills.fetch_add(1) + 1;
                   std::string body = "page " + std::string(request.query) + " fill " +
                                      std::to_string(fill) + "\n";
                   body.resize(std::max<std::size_t>(body.size(),
                                                     number_param(request.query, "bytes", 1 << 20)),
                               '.');
                   response.text(200, body, "text/html; charset=utf-8");
               });
    // Test-only: the whole query string is the key (the tests vary it freely).
    page_cache.cache_route("debug-cache-page", std::nullopt, "pages",
                           [](std::string_view query, std::string& canonical) {
                               canonical.assign(query);
                               return true;
                           });
    router.add(
        "debug-cache-fills", "/_debug/cache/fills",
        [state](http::Request&, http::Response& response) {
            response.text(200, std::to_string(state->fills.load()) + "\n");
        },
        http::Execution::Inline);
    router.add(
        "debug-cache-fail", "/_debug/cache/fail",
        [state](http::Request& request, http::Response& response) {
            state->failing.store(query_param(request.query, "on") == "1");
            response.text(200, state->failing.load() ? "failing\n" : "working\n");
        },
        http::Execution::Inline, http::kPost);
    router.add(
        "debug-cache-invalidate", "/_debug/cache/invalidate",
        [&page_cache](http::Request& request, http::Response& response) {
            std::string_view space = query_param(request.query, "ns");
            if (space.empty()) space = "pages";
            page_cache.invalidate(space);
            response.text(200, "invalidated " + std::string(space) + "\n");
        },
        http::Execution::Pool, http::kPost);
}

}  // namespace famigo::cache
