// A test-only form page, /_debug/form, installed by `serve` only with
// debug.test_routes=true. It exercises the whole layer through the real binary:
// GET renders a form with {% csrf_token %} and flash messages; POST (after the
// CSRF middleware) parses the body, validates, and either re-renders the form
// with the submitted values and errors, or adds a success message and
// redirects (303) back. The integration tests post XSS payloads through it.
// It lives with the apps, not in web/security, because it renders a template.
#pragma once

#include "http/router.hpp"
#include "web/security/web_security.hpp"

namespace famigo::apps {

// `security` must outlive the router.
void install_debug_form(http::Router& router, const web::security::WebSecurity& security);

}  // namespace famigo::apps
