// The web security layer as one component, built from configuration by `serve`
// and handed to whatever needs it: the two middlewares (security headers with
// the https redirect, then CSRF), the CSRF token source for views, flash
// messages, the password hasher, and signers for other purposes (sessions).
//
//   auto security = web::security::WebSecurity::from_config(config);
//   app.use(security.headers_middleware);
//   app.use(security.csrf_middleware);
//   context["csrf_token"] = security.csrf->token(request, response);
#pragma once

#include <memory>
#include <string_view>

#include "core/config.hpp"
#include "web/security/csrf.hpp"
#include "web/security/headers.hpp"
#include "web/security/messages.hpp"
#include "web/security/options.hpp"
#include "web/security/passwords.hpp"
#include "web/security/signing.hpp"

namespace famigo::web::security {

struct WebSecurity {
    SecurityOptions options;
    std::shared_ptr<const Csrf> csrf;
    std::shared_ptr<const Messages> messages;
    PasswordHasher passwords;
    std::shared_ptr<SecurityHeadersMiddleware> headers_middleware;
    std::shared_ptr<CsrfMiddleware> csrf_middleware;

    // Logs a warning when security.secret_key was empty and a key was made up.
    // With debug.test_routes on, the "debug-*" test-tool routes skip CSRF.
    static WebSecurity from_config(const config::Config& config);
    explicit WebSecurity(SecurityOptions options);

    Signer signer(std::string_view salt) const { return Signer(options.secret_key, salt); }
};

}  // namespace famigo::web::security
