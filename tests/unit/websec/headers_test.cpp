#include "web/security/headers.hpp"

#include <gtest/gtest.h>

using namespace famigo::web::security;
using famigo::http::Request;
using famigo::http::Response;

namespace {
Request request(bool secure, std::string_view path = "/app/x/", std::string_view query = "") {
    Request r;
    r.secure = secure;
    r.set_host("www.famigo.com:8080");
    r.path = path;
    r.query = query;
    r.target = path;
    return r;
}
}  // namespace

TEST(SecurityHeaders, DefaultsOnEveryAnswer) {
    SecurityHeadersMiddleware m{SecurityOptions{}};
    Request r = request(false);
    Response response;
    EXPECT_FALSE(m.before(r, response));
    m.after(r, response);
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(response.header("Referrer-Policy"), "same-origin");
    EXPECT_EQ(response.header("Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_FALSE(response.header("Strict-Transport-Security"));
}

TEST(SecurityHeaders, HstsOnlyOverHttps) {
    SecurityOptions options;
    options.hsts_seconds = 31536000;
    options.hsts_include_subdomains = true;
    options.hsts_preload = true;
    SecurityHeadersMiddleware m(options);
    Response plain, secure;
    Request http = request(false), https = request(true);
    m.after(http, plain);
    m.after(https, secure);
    EXPECT_FALSE(plain.header("Strict-Transport-Security"));
    EXPECT_EQ(secure.header("Strict-Transport-Security"),
              "max-age=31536000; includeSubDomains; preload");
}

TEST(SecurityHeaders, ViewsKeepTheirOwnValuesAndEmptyDisables) {
    SecurityOptions options;
    options.referrer_policy = "";
    SecurityHeadersMiddleware m(options);
    Request r = request(false);
    Response response;
    response.set_header("X-Frame-Options", "SAMEORIGIN");
    m.after(r, response);
    EXPECT_EQ(response.header("X-Frame-Options"), "SAMEORIGIN");
    EXPECT_FALSE(response.header("Referrer-Policy"));
}

TEST(SecurityHeaders, SslRedirect) {
    SecurityOptions options;
    options.ssl_redirect = true;
    options.ssl_redirect_exempt = {"/healthz"};
    SecurityHeadersMiddleware m(options);
    Response response;
    Request r = request(false, "/app/x/", "q=1");
    EXPECT_TRUE(m.before(r, response));
    EXPECT_EQ(response.status, 301);
    EXPECT_EQ(response.header("Location"), "https://www.famigo.com/app/x/?q=1");

    Response untouched;
    Request secure = request(true);
    EXPECT_FALSE(m.before(secure, untouched));
    Request probe = request(false, "/healthz");
    EXPECT_FALSE(m.before(probe, untouched));
    Request bad_host = request(false);
    bad_host.set_host("evil.com/x");
    EXPECT_FALSE(m.before(bad_host, untouched));
}
