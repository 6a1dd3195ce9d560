// Configuration of the web security layer (every key under [security]) and the
// options struct the rest of this module is built from. The secret key may be
// left empty in development: serve then makes a random one per process, with a
// warning, because nothing signed (CSRF cookies, messages, sessions) survives a
// restart or works across several hosts. `famigo config check --deploy` says so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "web/security/cookies.hpp"

namespace famigo::web::security {

struct FormLimits {
    std::size_t max_fields = 1000;            // fields and files of one body
    std::size_t max_memory = 2621440;         // bytes of all non-file values together
    std::size_t max_upload_bytes = 10485760;  // bytes of all files together
};

// The default Content-Security-Policy: the site loads everything from itself
// (no CDN, no other origin) and has no inline script, handler or style.
inline constexpr std::string_view kStrictCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

struct SecurityOptions {
    std::string secret_key;
    bool secret_key_generated = false;  // made up at start because the key was empty

    std::int64_t hsts_seconds = 0;
    bool hsts_include_subdomains = false;
    bool hsts_preload = false;
    bool ssl_redirect = false;
    std::vector<std::string> ssl_redirect_exempt;  // path prefixes served over http anyway
    std::string referrer_policy = "same-origin";   // empty: no header
    std::string x_frame_options = "DENY";
    std::string cross_origin_opener_policy = "same-origin";
    std::string content_security_policy{kStrictCsp};  // empty: no header

    std::vector<std::string>
        csrf_trusted_origins;  // "https://x.example.com", "https://*.example.com"
    std::vector<std::string> csrf_exempt_routes;  // route names
    bool csrf_cookie_secure = false;
    bool session_cookie_secure = false;
    SameSite cookie_samesite = SameSite::Lax;

    FormLimits form_limits;

    std::uint64_t password_ops_limit = 3;
    std::uint64_t password_mem_limit = 64ull << 20;
};

void define_config(config::Schema& schema);

// Reads the [security] keys. When security.secret_key is empty a random key is
// generated and secret_key_generated is set (the caller decides whether to warn).
SecurityOptions security_options(const config::Config& config);

}  // namespace famigo::web::security
