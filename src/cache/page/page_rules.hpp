// The page cache's rules as pure functions, tested without a server: what
// identifies a page (host, path, query, and the values of the request headers
// its response varies on), how that becomes a key, which responses may be
// stored and for how long, and which of their headers are kept.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::cache {

// "host path?query" into `out` (reused: no allocation once it has grown);
// `query` is the route's canonical form of the request's query string.
void page_identity(const http::Request& request, std::string_view query, std::string& out);
// The identity of one variant: the base identity followed by each Vary header's value.
void variant_identity(const http::Request& request, std::string_view base_identity,
                      const std::vector<std::string>& vary, std::string& out);
// "pc:<namespace>:<hash>" for a base identity; "<base key>:<hash>" for a variant.
void page_key(std::string_view space, std::string_view identity, std::string& out);
void variant_key(std::string_view base_key, std::string_view variant, std::string& out);

struct StoreDecision {
    bool store = false;
    std::chrono::milliseconds ttl{0};
    std::vector<std::string> vary;  // lower-case header names, in the order given
};
// Whether `response` (to a GET) may be cached, for how long (the route's TTL
// unless Cache-Control max-age says otherwise), and what it varies on.
StoreDecision store_decision(const http::Response& response, std::chrono::milliseconds route_ttl,
                             std::size_t max_body);

// Headers a cached page keeps: not per-response ones (Date, Set-Cookie,
// X-Request-Id...) and not hop-by-hop ones.
bool keep_header(std::string_view name);
// Headers a 304 repeats (RFC 9110 15.4.5); the entity's own ones are left out.
bool header_for_not_modified(std::string_view name);

}  // namespace famigo::cache
