#include "web/security/headers.hpp"

#include "http/middlewares.hpp"

namespace famigo::web::security {
namespace {

void set_unless_present(http::Response& response, std::string_view name, const std::string& value) {
    if (!value.empty() && !response.header(name)) response.set_header(name, value);
}

}  // namespace

SecurityHeadersMiddleware::SecurityHeadersMiddleware(const SecurityOptions& options)
    : ssl_redirect_(options.ssl_redirect),
      redirect_exempt_(options.ssl_redirect_exempt),
      x_frame_options_(options.x_frame_options),
      referrer_policy_(options.referrer_policy),
      opener_policy_(options.cross_origin_opener_policy),
      content_security_policy_(options.content_security_policy) {
    if (options.hsts_seconds > 0) {
        hsts_ = "max-age=" + std::to_string(options.hsts_seconds);
        if (options.hsts_include_subdomains) hsts_ += "; includeSubDomains";
        if (options.hsts_preload) hsts_ += "; preload";
    }
}

bool SecurityHeadersMiddleware::before(http::Request& request, http::Response& response) {
    if (!ssl_redirect_ || request.secure) return false;
    for (const auto& prefix : redirect_exempt_)
        if (request.path.starts_with(prefix)) return false;
    http::HostBuffer buffer;
    std::string_view host = http::normalize_host(request.host(), buffer);
    if (host.empty()) return false;  // HostMiddleware answers malformed hosts
    std::string location = "https://";
    location += host;
    // path and query rather than target: an absolute-form target carries its own host.
    location += request.path.empty() ? std::string_view("/") : request.path;
    if (!request.query.empty()) location.append("?").append(request.query);
    response.status = 301;
    response.body.clear();
    response.set_header("Location", location);
    return true;
}

void SecurityHeadersMiddleware::after(http::Request& request, http::Response& response) {
    if (request.secure && !hsts_.empty())
        set_unless_present(response, "Strict-Transport-Security", hsts_);
    if (!response.header("X-Content-Type-Options"))
        response.set_header("X-Content-Type-Options", "nosniff");
    set_unless_present(response, "X-Frame-Options", x_frame_options_);
    set_unless_present(response, "Referrer-Policy", referrer_policy_);
    set_unless_present(response, "Cross-Origin-Opener-Policy", opener_policy_);
    set_unless_present(response, "Content-Security-Policy", content_security_policy_);
}

}  // namespace famigo::web::security
