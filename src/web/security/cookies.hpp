// Cookies: a tolerant parser for the Cookie request header (RFC 6265 section
// 5.4 in spirit: junk pieces are skipped, nothing throws, values are views into
// the header) and a strict writer for Set-Cookie with secure defaults
// (HttpOnly, SameSite=Lax, Path=/). Also the few helpers that let code which
// has no per-request storage (CSRF, messages) find and replace a cookie it set
// earlier in the same response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::web::security {

using CookiePair = std::pair<std::string_view, std::string_view>;

// Every name=value pair of one Cookie header, in order. Pieces without '=' or
// with an empty name are skipped; values lose surrounding double quotes.
std::vector<CookiePair> parse_cookie_header(std::string_view header);

// The first cookie of that name across the request's Cookie headers (the most
// specific path comes first, RFC 6265 5.4). Allocates nothing.
std::optional<std::string_view> find_cookie(const http::Request& request, std::string_view name);

enum class SameSite { Lax, Strict, None, Unset };
// "Lax", "Strict", "None" (any case); nullopt otherwise.
std::optional<SameSite> parse_same_site(std::string_view text);

struct CookieOptions {
    std::string path = "/";
    std::string domain;                   // empty: host-only cookie
    std::optional<std::int64_t> max_age;  // seconds; unset: a session cookie
    bool secure = false;
    bool http_only = true;
    SameSite same_site = SameSite::Lax;
};

// True for an RFC 6265 cookie-name (an HTTP token) and cookie-value (no
// spaces, quotes, commas, semicolons or backslashes, ASCII only).
bool is_cookie_name(std::string_view name);
bool is_cookie_value(std::string_view value);

// The Set-Cookie header value. With max_age, Expires is written too for old
// clients. Throws famigo::Error for a name or value that is not allowed
// (callers encode values first: that is a programming error, not bad input).
std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options);
// A Set-Cookie value that makes the browser forget the cookie.
std::string delete_cookie_value(std::string_view name, const CookieOptions& options);

// The value of the cookie `name` set by a Set-Cookie already in `response`.
std::optional<std::string_view> find_set_cookie(const http::Response& response,
                                                std::string_view name);
// Replaces the Set-Cookie of `name` (if any) with `header_value`, keeping the
// other cookies the response sets.
void replace_set_cookie(http::Response& response, std::string_view name,
                        std::string_view header_value);

}  // namespace famigo::web::security
