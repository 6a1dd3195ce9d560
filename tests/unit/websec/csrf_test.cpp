#include "web/security/csrf.hpp"

#include <gtest/gtest.h>

#include "http/router.hpp"

using namespace famigo::web::security;
using famigo::http::Method;
using famigo::http::Request;
using famigo::http::Response;
using famigo::http::Route;

namespace {

const std::string kSecret = "abcdefghijklmnopqrstuvwxyzABCDEF";
// Requests hold views into their headers: the header text must outlive them.
const std::string kCookie = "csrftoken=" + kSecret;

Route route_named(std::string name) {
    Route route;
    route.name = std::move(name);
    return route;
}

struct Fixture {
    Route form_route = route_named("signup");
    Route api_route = route_named("api-launch");
    std::shared_ptr<Csrf> csrf;
    Fixture() {
        SecurityOptions security;
        security.csrf_trusted_origins = {"https://m.famigo.com", "https://*.partner.com"};
        security.csrf_exempt_routes = {"api-launch", "debug-*"};
        csrf = std::make_shared<Csrf>(CsrfOptions::from(security));
    }
    // A form POST to famigo.com; fields and headers added by each test.
    Request post(std::string_view body = {}) {
        Request r;
        r.method = Method::Post;
        r.method_text = "POST";
        r.route = &form_route;
        r.path = "/signup/";
        r.set_host("famigo.com");
        r.add_header("Host", "famigo.com");
        r.body = body;
        if (!body.empty()) r.add_header("Content-Type", "application/x-www-form-urlencoded");
        return r;
    }
};

std::string field(const std::string& token) {
    return "name=x&csrfmiddlewaretoken=" + token;
}

}  // namespace

TEST(CsrfTokens, MaskingRoundTrips) {
    std::string secret = new_csrf_secret();
    ASSERT_EQ(secret.size(), kCsrfSecretLength);
    std::string a = mask_csrf_secret(secret), b = mask_csrf_secret(secret);
    EXPECT_EQ(a.size(), kCsrfTokenLength);
    EXPECT_NE(a, b);  // a fresh mask each time: nothing stable for BREACH to find
    EXPECT_EQ(csrf_secret_of(a), secret);
    EXPECT_EQ(csrf_secret_of(b), secret);
    EXPECT_EQ(csrf_secret_of(secret), secret);
    EXPECT_EQ(csrf_secret_of("short"), std::nullopt);
    EXPECT_EQ(csrf_secret_of(std::string(32, '!')), std::nullopt);
    EXPECT_EQ(csrf_secret_of(std::string(63, 'a')), std::nullopt);
}

// Tokens made by Django 3.2's _mask_cipher_secret(kSecret): the alphabets agree,
// so pages rendered by the old site stay valid across the migration.
TEST(CsrfTokens, UnmasksDjangoTokens) {
    EXPECT_EQ(csrf_secret_of("SYuGadNKFVB3URZOzcczLsEhkpvmBUwqSZwJeiTRN4Le64d3PtuS5N0EIOVN3n0V"),
              kSecret);
    EXPECT_EQ(csrf_secret_of("wnn95ksajnmuvJgzTv2hTynzLUwN2KeIwopc9pyhrwwFHWuO9MkAdTJW9jWeudId"),
              kSecret);
}

TEST(Csrf, AcceptRefuseMatrix) {
    Fixture f;
    const std::string masked = mask_csrf_secret(kSecret);
    struct Case {
        const char* what;
        std::string cookie;  // "" for none
        std::string body;    // form body
        std::string header;  // X-CSRFToken, "" for none
        bool ok;
        std::string reason_start;
    };
    const Case cases[] = {
        {"masked field", kSecret, field(masked), "", true, ""},
        {"raw secret in field", kSecret, field(kSecret), "", true, ""},
        {"header token", kSecret, "", masked, true, ""},
        {"masked cookie (older Django)", mask_csrf_secret(kSecret), field(masked), "", true, ""},
        {"no cookie", "", field(masked), "", false, "CSRF cookie not set."},
        {"broken cookie", "not-a-token", field(masked), "", false, "CSRF cookie not set."},
        {"no token", kSecret, "name=x", "", false, "CSRF token missing."},
        {"empty token", kSecret, field(""), "", false, "CSRF token missing."},
        {"wrong token", kSecret, field(mask_csrf_secret(new_csrf_secret())), "", false,
         "CSRF token incorrect."},
        {"malformed token", kSecret, field("abc"), "", false, "CSRF token has incorrect length"},
        {"wrong header", kSecret, "", new_csrf_secret(), false, "CSRF token incorrect."},
    };
    for (const auto& c : cases) {
        Request r = f.post(c.body);
        std::string cookie_header = "csrftoken=" + c.cookie;
        if (!c.cookie.empty()) r.add_header("Cookie", cookie_header);
        if (!c.header.empty()) r.add_header("X-CSRFToken", c.header);
        auto reason = f.csrf->check(r);
        EXPECT_EQ(!reason, c.ok) << c.what << ": " << reason.value_or("accepted");
        if (reason) {
            EXPECT_TRUE(reason->starts_with(c.reason_start)) << c.what << ": " << *reason;
        }
    }
}

TEST(Csrf, OriginAndRefererMatrix) {
    Fixture f;
    const std::string body = field(mask_csrf_secret(kSecret));
    struct Case {
        bool secure;
        const char* origin;   // nullptr: no header
        const char* referer;  // nullptr: no header
        bool ok;
    };
    const Case cases[] = {
        {false, nullptr, nullptr, true},  // plain http: no Referer needed
        {false, "http://famigo.com", nullptr, true},
        {false, "http://evil.com", nullptr, false},  // an Origin is always checked
        {false, "null", nullptr, false},
        {true, nullptr, nullptr, false},  // https without Origin needs a Referer
        {true, nullptr, "https://famigo.com/signup/", true},
        {true, nullptr, "https://FAMIGO.com:443/x", true},
        {true, nullptr, "http://famigo.com/signup/", false},  // insecure referer
        {true, nullptr, "https://evil.com/", false},
        {true, nullptr, "https://famigo.com.evil.com/", false},
        {true, nullptr, "garbage", false},
        {true, nullptr, "https://m.famigo.com/app/", true},  // trusted origin
        {true, nullptr, "https://a.partner.com/", true},     // wildcard
        {true, nullptr, "https://partner.com/", false},      // the wildcard is subdomains only
        {true, "https://famigo.com", nullptr, true},
        {true, "http://famigo.com", nullptr, false},  // scheme must match
        {true, "https://famigo.com:8443", nullptr, false},
        {true, "https://m.famigo.com", nullptr, true},
        {true, "https://x.y.partner.com", nullptr, true},
        {true, "https://evil.com", "https://famigo.com/", false},  // Origin wins over Referer
    };
    for (const auto& c : cases) {
        Request r = f.post(body);
        r.secure = c.secure;
        r.add_header("Cookie", kCookie);
        if (c.origin) r.add_header("Origin", c.origin);
        if (c.referer) r.add_header("Referer", c.referer);
        auto reason = f.csrf->check(r);
        EXPECT_EQ(!reason, c.ok) << (c.secure ? "https " : "http ") << (c.origin ? c.origin : "-")
                                 << " " << (c.referer ? c.referer : "-") << ": "
                                 << reason.value_or("accepted");
    }
}

TEST(CsrfMiddleware, RefusesWith403AndSkipsSafeExemptAndUnmatched) {
    Fixture f;
    CsrfMiddleware middleware(f.csrf);
    Response response;
    Request post = f.post("name=<script>");
    post.add_header("Origin", "https://evil.com/<b>");
    EXPECT_TRUE(middleware.before(post, response));
    EXPECT_EQ(response.status, 403);
    EXPECT_NE(response.body.find("CSRF verification failed"), std::string::npos);
    EXPECT_NE(response.body.find("&lt;b&gt;"), std::string::npos);  // the reason is escaped
    EXPECT_EQ(response.body.find("<b>"), std::string::npos);

    for (Method m : {Method::Get, Method::Head, Method::Options}) {
        Request safe = f.post();
        safe.method = m;
        response.reset();
        EXPECT_FALSE(middleware.before(safe, response));
    }
    Request api = f.post();
    api.route = &f.api_route;
    EXPECT_FALSE(middleware.before(api, response));
    Route tool = route_named("debug-echo");
    Request debug_tool = f.post();
    debug_tool.route = &tool;
    EXPECT_FALSE(middleware.before(debug_tool, response));
    Route almost = route_named("debug");  // "debug-*" needs the dash
    Request not_tool = f.post();
    not_tool.route = &almost;
    response.reset();
    EXPECT_TRUE(middleware.before(not_tool, response));
    Request unmatched = f.post();
    unmatched.route = nullptr;
    EXPECT_FALSE(middleware.before(unmatched, response));
    for (Method m : {Method::Put, Method::Patch, Method::Delete, Method::Other}) {
        Request unsafe = f.post();
        unsafe.method = m;
        response.reset();
        EXPECT_TRUE(middleware.before(unsafe, response));
        EXPECT_EQ(response.status, 403);
    }
}

TEST(CsrfMiddleware, MalformedFormIs400) {
    Fixture f;
    CsrfMiddleware middleware(f.csrf);
    Request post = f.post("a=%zz");
    post.add_header("Cookie", kCookie);
    Response response;
    EXPECT_TRUE(middleware.before(post, response));
    EXPECT_EQ(response.status, 400);
}

TEST(CsrfToken, SetsTheCookieOnceAndReusesIt) {
    Fixture f;
    Request get;
    Response response;
    std::string first = f.csrf->token(get, response);
    auto cookie = find_set_cookie(response, kCsrfCookie);
    ASSERT_TRUE(cookie);
    EXPECT_EQ(csrf_secret_of(first), *cookie);
    std::string second = f.csrf->token(get, response);
    EXPECT_NE(first, second);
    EXPECT_EQ(csrf_secret_of(second), *cookie);  // same secret, fresh mask
    EXPECT_EQ(response.header("Vary"), "Cookie");
    std::string set_cookie(*response.header("Set-Cookie"));
    EXPECT_EQ(set_cookie.find("HttpOnly"), std::string::npos);  // scripts read it for X-CSRFToken
    EXPECT_NE(set_cookie.find("Max-Age=31449600"), std::string::npos);

    // A client with a valid cookie gets no new one.
    Request with_cookie;
    with_cookie.add_header("Cookie", kCookie);
    Response quiet;
    quiet.set_header("Vary", "Accept-Encoding");
    EXPECT_EQ(csrf_secret_of(f.csrf->token(with_cookie, quiet)), kSecret);
    EXPECT_FALSE(quiet.header("Set-Cookie"));
    EXPECT_EQ(quiet.header("Vary"), "Accept-Encoding, Cookie");

    // A masked cookie (older Django) is rewritten as its secret, not replaced.
    Request masked;
    std::string masked_cookie = "csrftoken=" + mask_csrf_secret(kSecret);
    masked.add_header("Cookie", masked_cookie);
    Response rewritten;
    f.csrf->token(masked, rewritten);
    EXPECT_EQ(find_set_cookie(rewritten, kCsrfCookie), kSecret);
}
