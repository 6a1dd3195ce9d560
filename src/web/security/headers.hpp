// The security headers middleware: redirects plain http to https when
// security.ssl_redirect is on (request.secure is believed only from trusted
// proxies, see http::ProxyMiddleware), and adds Strict-Transport-Security (over
// https only, as browsers ignore it on http), X-Content-Type-Options: nosniff,
// X-Frame-Options, Referrer-Policy, Cross-Origin-Opener-Policy and
// Content-Security-Policy (security.content_security_policy) to every answer. Header values are
// computed once at start; a view that set one of these headers itself keeps its own value.
#pragma once

#include <string>

#include "http/middleware.hpp"
#include "web/security/options.hpp"

namespace famigo::web::security {

class SecurityHeadersMiddleware : public http::Middleware {
  public:
    explicit SecurityHeadersMiddleware(const SecurityOptions& options);
    bool runs_inline(const http::Request&) const override { return true; }
    bool before(http::Request& request, http::Response& response) override;
    void after(http::Request& request, http::Response& response) override;

    const std::string& hsts_value() const { return hsts_; }

  private:
    bool ssl_redirect_;
    std::vector<std::string> redirect_exempt_;
    std::string hsts_;  // empty: none
    std::string x_frame_options_;
    std::string referrer_policy_;
    std::string opener_policy_;
    std::string content_security_policy_;
};

}  // namespace famigo::web::security
