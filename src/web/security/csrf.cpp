#include "web/security/csrf.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/text.hpp"
#include "http/router.hpp"
#include "web/security/crypto.hpp"
#include "web/security/form_data.hpp"

namespace famigo::web::security {
namespace {

constexpr std::int64_t kCookieMaxAge = 31449600;  // a year, as Django

// Reasons worded as Django's, so people can search for them.
constexpr std::string_view kNoCookie = "CSRF cookie not set.";
constexpr std::string_view kNoToken = "CSRF token missing.";
constexpr std::string_view kBadToken = "CSRF token incorrect.";
constexpr std::string_view kMalformedToken =
    "CSRF token has incorrect length or invalid characters.";
constexpr std::string_view kNoReferer = "Referer checking failed - no Referer.";
constexpr std::string_view kMalformedReferer = "Referer checking failed - Referer is malformed.";
constexpr std::string_view kInsecureReferer =
    "Referer checking failed - Referer is insecure while host is secure.";

size_t char_index(char c) {
    return kAlphanumeric.find(c);
}

bool all_alphanumeric(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return char_index(c) != std::string_view::npos; });
}

struct UrlParts {
    std::string scheme;  // lower-case
    std::string netloc;  // lower-case, without userinfo and default port
};

// Lower-cases a host[:port] and drops the scheme's default port, so that
// "Example.com:443" and "example.com" compare equal over https.
std::string normalized_netloc(std::string_view netloc, std::string_view scheme) {
    std::string_view default_port = scheme == "https" ? ":443" : ":80";
    if (netloc.ends_with(default_port)) netloc.remove_suffix(default_port.size());
    return strings::to_lower(netloc);
}

// scheme://netloc[/...]; nullopt when either part is missing.
std::optional<UrlParts> split_url(std::string_view url) {
    size_t sep = url.find("://");
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    std::string_view rest = url.substr(sep + 3);
    std::string_view netloc = rest.substr(0, rest.find_first_of("/?#"));
    if (size_t at = netloc.rfind('@'); at != std::string_view::npos) netloc = netloc.substr(at + 1);
    if (netloc.empty()) return std::nullopt;
    UrlParts parts{strings::to_lower(url.substr(0, sep)), {}};
    parts.netloc = normalized_netloc(netloc, parts.scheme);
    return parts;
}

// The request's own origin host: the Host header, normalised as above.
std::string own_netloc(const http::Request& request) {
    return normalized_netloc(request.host(), request.secure ? "https" : "http");
}

bool trusted(const std::vector<std::string>& origins, std::string_view scheme,
             std::string_view netloc) {
    for (const auto& origin : origins) {
        auto parts = split_url(origin);
        if (!parts || parts->scheme != scheme) continue;
        if (parts->netloc == netloc) return true;
        // "*.example.com" trusts every subdomain (not example.com itself).
        if (parts->netloc.starts_with("*.")) {
            std::string_view suffix = std::string_view(parts->netloc).substr(1);
            if (netloc.size() > suffix.size() && netloc.ends_with(suffix)) return true;
        }
    }
    return false;
}

}  // namespace

std::string new_csrf_secret() {
    return random_string(kCsrfSecretLength, kAlphanumeric);
}

std::string mask_csrf_secret(std::string_view secret) {
    std::string mask = random_string(kCsrfSecretLength, kAlphanumeric);
    std::string out = mask;
    out.resize(kCsrfTokenLength);
    for (size_t i = 0; i < kCsrfSecretLength; ++i)
        out[kCsrfSecretLength + i] =
            kAlphanumeric[(char_index(secret[i]) + char_index(mask[i])) % kAlphanumeric.size()];
    return out;
}

std::optional<std::string> csrf_secret_of(std::string_view token) {
    if (!all_alphanumeric(token)) return std::nullopt;
    if (token.size() == kCsrfSecretLength) return std::string(token);
    if (token.size() != kCsrfTokenLength) return std::nullopt;
    std::string secret(kCsrfSecretLength, '\0');
    const size_t n = kAlphanumeric.size();
    for (size_t i = 0; i < kCsrfSecretLength; ++i)
        secret[i] =
            kAlphanumeric[(char_index(token[kCsrfSecretLength + i]) + n - char_index(token[i])) %
                          n];
    return secret;
}

CsrfOptions CsrfOptions::from(const SecurityOptions& security) {
    CsrfOptions o;
    o.trusted_origins = security.csrf_trusted_origins;
    o.exempt_routes = security.csrf_exempt_routes;
    // Not HttpOnly: scripts read it to send X-CSRFToken, as with Django's default.
    o.cookie.http_only = false;
    o.cookie.secure = security.csrf_cookie_secure;
    o.cookie.same_site = security.cookie_samesite;
    o.cookie.max_age = kCookieMaxAge;
    o.form_limits = security.form_limits;
    return o;
}

Csrf::Csrf(CsrfOptions options) : options_(std::move(options)) {}

std::string Csrf::token(const http::Request& request, http::Response& response) const {
    // Pages that carry a token differ per client: caches must key them by cookie.
    auto vary = response.header("Vary");
    if (!vary)
        response.set_header("Vary", "Cookie");
    else if (!strings::list_contains_token(*vary, "Cookie"))
        response.set_header("Vary", std::string(*vary) + ", Cookie");

    if (auto set = find_set_cookie(response, kCsrfCookie))
        if (auto secret = csrf_secret_of(*set)) return mask_csrf_secret(*secret);
    std::optional<std::string> secret;
    if (auto cookie = find_cookie(request, kCsrfCookie)) {
        secret = csrf_secret_of(*cookie);
        if (secret && cookie->size() == kCsrfSecretLength) return mask_csrf_secret(*secret);
    }
    // No cookie or a broken one: a fresh secret. A masked cookie (older Django)
    // keeps its secret, so forms open in other tabs stay valid.
    if (!secret) secret = new_csrf_secret();
    replace_set_cookie(response, kCsrfCookie,
                       set_cookie_value(kCsrfCookie, *secret, options_.cookie));
    return mask_csrf_secret(*secret);
}

bool Csrf::is_exempt(const http::Request& request) const {
    if (!request.route) return false;
    std::string_view name = request.route->name;
    for (std::string_view pattern : options_.exempt_routes) {
        // "api-*" exempts every route whose name starts with "api-".
        if (pattern.ends_with('*') ? name.starts_with(pattern.substr(0, pattern.size() - 1))
                                   : name == pattern)
            return true;
    }
    return false;
}

std::optional<std::string> Csrf::check_origin(const http::Request& request,
                                              std::string_view origin) const {
    auto parts = split_url(origin);
    if (parts) {
        std::string_view scheme = request.secure ? "https" : "http";
        if (parts->scheme == scheme && parts->netloc == own_netloc(request)) return std::nullopt;
        if (trusted(options_.trusted_origins, parts->scheme, parts->netloc)) return std::nullopt;
    }
    return "Origin checking failed - " + std::string(origin) +
           " does not match any trusted origins.";
}

std::optional<std::string> Csrf::check_referer(const http::Request& request) const {
    auto referer = request.header("Referer");
    if (!referer) return std::string(kNoReferer);
    auto parts = split_url(*referer);
    if (!parts) return std::string(kMalformedReferer);
    if (parts->scheme != "https") return std::string(kInsecureReferer);
    if (parts->netloc == own_netloc(request)) return std::nullopt;
    if (trusted(options_.trusted_origins, "https", parts->netloc)) return std::nullopt;
    return "Referer checking failed - " + std::string(*referer) +
           " does not match any trusted origins.";
}

std::optional<std::string> Csrf::check(const http::Request& request) const {
    if (auto origin = request.header("Origin")) {
        if (auto failure = check_origin(request, *origin)) return failure;
    } else if (request.secure) {
        // Without Origin, https pages must show where they were posted from:
        // a man in the middle on plain http could otherwise plant a cookie.
        if (auto failure = check_referer(request)) return failure;
    }

    auto cookie = find_cookie(request, kCsrfCookie);
    std::optional<std::string> secret = cookie ? csrf_secret_of(*cookie) : std::nullopt;
    if (!secret) return std::string(kNoCookie);

    std::optional<std::string> sent;
    if (request.method == http::Method::Post) {
        FormData form = parse_form(request, options_.form_limits);
        if (auto field = form.get(kCsrfField)) sent = std::string(*field);
    }
    if (!sent)
        if (auto header = request.header(kCsrfHeader)) sent = std::string(*header);
    if (!sent || sent->empty()) return std::string(kNoToken);
    auto sent_secret = csrf_secret_of(*sent);
    if (!sent_secret) return std::string(kMalformedToken);
    if (!constant_time_equal(*sent_secret, *secret)) return std::string(kBadToken);
    return std::nullopt;
}

bool is_safe_method(const http::Request& request) {
    switch (request.method) {
        case http::Method::Get:
        case http::Method::Head:
        case http::Method::Options:
            return true;
        case http::Method::Other:
            return request.method_text == "TRACE";
        default:
            return false;
    }
}

bool CsrfMiddleware::before(http::Request& request, http::Response& response) {
    // Unmatched paths answer 404/405 anyway; checking them would only hide that.
    if (is_safe_method(request) || !request.route || csrf_->is_exempt(request)) return false;
    try {
        auto reason = csrf_->check(request);
        if (!reason) return false;
        csrf_failure_page(*reason, response);
    } catch (const BadForm& e) {
        response.text(e.status(), std::string(e.what()) + "\n");
    }
    return true;
}

void csrf_failure_page(std::string_view reason, http::Response& response) {
    std::string body =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"robots\" content=\"NONE,NOARCHIVE\"><title>403 Forbidden</title></head>\n"
        "<body><h1>Forbidden <span>(403)</span></h1>\n<p>CSRF verification failed. Request "
        "aborted.</p>\n<p>Reason: ";
    text::append_html_escaped(body, reason);
    body +=
        "</p>\n<p>You are seeing this because this site requires a CSRF cookie and token when "
        "submitting forms. If your browser blocks cookies for this site, allow them and reload "
        "the form you came from.</p>\n</body></html>\n";
    response.text(403, body, "text/html; charset=utf-8");
}

}  // namespace famigo::web::security
