#include "web/security/web_security.hpp"

#include "core/log.hpp"

namespace famigo::web::security {

WebSecurity::WebSecurity(SecurityOptions security_options)
    : options(std::move(security_options)),
      csrf(std::make_shared<const Csrf>(CsrfOptions::from(options))),
      messages(std::make_shared<const Messages>(options)),
      passwords(options.password_ops_limit, options.password_mem_limit),
      headers_middleware(std::make_shared<SecurityHeadersMiddleware>(options)),
      csrf_middleware(std::make_shared<CsrfMiddleware>(csrf)) {}

WebSecurity WebSecurity::from_config(const config::Config& config) {
    SecurityOptions options = security_options(config);
    // The test-tool routes (/_debug/echo, /_debug/cache/...) take raw POSTs from
    // test scripts; the test form (not "debug-") keeps its CSRF check.
    if (config.boolean("debug.test_routes")) options.csrf_exempt_routes.push_back("debug-*");
    // The Sandbox API (apps/families) authenticates by X-Api-Key and Bearer
    // headers, never by cookies, and a browser cannot send those headers
    // cross-site without CORS: there is no cross-site request to forge.
    options.csrf_exempt_routes.push_back("sandbox-api-*");
    if (options.secret_key_generated)
        log::warn(
            "security.secret_key is empty: using a random key for this process only; CSRF "
            "cookies, messages and sessions will not survive a restart or work across hosts. "
            "Set security.secret_key (50+ random characters, the same on every host)");
    return WebSecurity(std::move(options));
}

}  // namespace famigo::web::security
