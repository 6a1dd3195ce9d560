// Cross-site request forgery protection with Django's names, so templates and
// JavaScript written for Django keep working: the secret lives in the
// `csrftoken` cookie, forms send it back in the `csrfmiddlewaretoken` field
// (what {% csrf_token %} renders), scripts in the `X-CSRFToken` header.
//
// Tokens put in pages are masked (Django 1.10+ style: a fresh random mask and
// the secret shifted by it, 64 characters) so the page bytes differ on every
// render and compression side channels (BREACH) cannot recover the secret; the
// raw 32-character secret is accepted too. Unsafe methods must carry a token
// matching the cookie, and whenever an Origin header is sent (and, over https,
// a Referer when there is no Origin) it must name this host or one of
// security.csrf_trusted_origins. Routes named in security.csrf_exempt_routes
// ("api-*" for a prefix) are not checked (APIs authenticated by other means).
//
// Views call Csrf::token(request, response) and put the result in the template
// context as "csrf_token". The first call for a client without a valid cookie
// sets one; later calls in the same response reuse it (read back from the
// response), so no per-request state is needed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/middleware.hpp"
#include "web/security/cookies.hpp"
#include "web/security/options.hpp"

namespace famigo::web::security {

inline constexpr std::string_view kCsrfCookie = "csrftoken";
inline constexpr std::string_view kCsrfField = "csrfmiddlewaretoken";
inline constexpr std::string_view kCsrfHeader = "X-CSRFToken";
inline constexpr size_t kCsrfSecretLength = 32;
inline constexpr size_t kCsrfTokenLength = 64;

std::string new_csrf_secret();
std::string mask_csrf_secret(std::string_view secret);
// The secret inside a 64-character masked token or a 32-character raw secret;
// nullopt when the length or the characters are wrong.
std::optional<std::string> csrf_secret_of(std::string_view token);

struct CsrfOptions {
    std::vector<std::string> trusted_origins;
    std::vector<std::string> exempt_routes;  // names; "api-*" matches a prefix
    CookieOptions cookie;                    // of the csrftoken cookie
    FormLimits form_limits;

    static CsrfOptions from(const SecurityOptions& security);
};

class Csrf {
  public:
    explicit Csrf(CsrfOptions options);

    // The masked token for this request's page (see the header comment).
    std::string token(const http::Request& request, http::Response& response) const;

    // nullopt when the request may go on, else Django's reason for refusing it.
    // Reads the form body of POSTs; throws BadForm for a malformed one.
    std::optional<std::string> check(const http::Request& request) const;

    bool is_exempt(const http::Request& request) const;
    const CsrfOptions& options() const { return options_; }

  private:
    std::optional<std::string> check_origin(const http::Request& request,
                                            std::string_view origin) const;
    std::optional<std::string> check_referer(const http::Request& request) const;

    CsrfOptions options_;
};

// GET, HEAD, OPTIONS and TRACE: the methods that must not change anything.
bool is_safe_method(const http::Request& request);

// Refuses unsafe requests (POST, PUT, PATCH, DELETE and unknown methods) of
// matched, non-exempt routes with a 403 page naming the reason; a malformed
// form body gets its 400/413 instead.
class CsrfMiddleware : public http::Middleware {
  public:
    explicit CsrfMiddleware(std::shared_ptr<const Csrf> csrf) : csrf_(std::move(csrf)) {}
    // Safe methods are never checked; an unsafe one may parse a large form body,
    // which is work for the pool, not the I/O thread.
    bool runs_inline(const http::Request& request) const override {
        return is_safe_method(request);
    }
    bool before(http::Request& request, http::Response& response) override;

  private:
    std::shared_ptr<const Csrf> csrf_;
};

// The 403 page (HTML, reason escaped).
void csrf_failure_page(std::string_view reason, http::Response& response);

}  // namespace famigo::web::security
