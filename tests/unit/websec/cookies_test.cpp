#include "web/security/cookies.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace famigo::web::security;
using famigo::http::Request;
using famigo::http::Response;

TEST(CookieHeader, ParsesTolerantly) {
    struct Case {
        std::string_view header;
        std::vector<CookiePair> expected;
    };
    const Case cases[] = {
        {"", {}},
        {"a=1", {{"a", "1"}}},
        {"a=1; b=2", {{"a", "1"}, {"b", "2"}}},
        {"a=1;b=2;;  ;c=3", {{"a", "1"}, {"b", "2"}, {"c", "3"}}},
        {"  a = 1 ; b= x y ", {{"a", "1"}, {"b", "x y"}}},
        {"a=\"quoted\"", {{"a", "quoted"}}},
        {"a=\"", {{"a", "\""}}},
        {"a=", {{"a", ""}}},
        {"=novalue; b=2", {{"b", "2"}}},
        {"junk; b=2", {{"b", "2"}}},
        {"a=b=c", {{"a", "b=c"}}},
        {";;;", {}},
        {"a=1; a=2", {{"a", "1"}, {"a", "2"}}},
        {"\x01\xff=\x80", {{"\x01\xff", "\x80"}}},
        {"csrftoken=abc; sessionid=xyz", {{"csrftoken", "abc"}, {"sessionid", "xyz"}}},
    };
    for (const auto& c : cases) EXPECT_EQ(parse_cookie_header(c.header), c.expected) << c.header;
}

TEST(CookieHeader, FindCookieTakesTheFirstAcrossHeaders) {
    Request request;
    request.add_header("Cookie", "x=1; a=first");
    request.add_header("Cookie", "a=second; b=2");
    EXPECT_EQ(find_cookie(request, "a"), "first");
    EXPECT_EQ(find_cookie(request, "b"), "2");
    EXPECT_EQ(find_cookie(request, "missing"), std::nullopt);
    EXPECT_EQ(find_cookie(request, "A"), std::nullopt);  // names are case-sensitive
}

TEST(CookieHeader, SurvivesRandomBytes) {
    std::string junk;
    for (int i = 0; i < 5000; ++i) {
        junk += char((i * 7919) % 256);
        (void)parse_cookie_header(junk);
    }
    SUCCEED();
}

TEST(SetCookie, DefaultsAreSecureByDefault) {
    CookieOptions options;
    EXPECT_EQ(set_cookie_value("sid", "abc", options), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
    options.secure = true;
    options.same_site = SameSite::Strict;
    options.domain = ".famigo.com";
    EXPECT_EQ(set_cookie_value("sid", "abc", options),
              "sid=abc; Path=/; Domain=.famigo.com; Secure; HttpOnly; SameSite=Strict");
}

TEST(SetCookie, MaxAgeAddsExpires) {
    CookieOptions options;
    options.max_age = 3600;
    std::string value = set_cookie_value("a", "b", options);
    EXPECT_NE(value.find("; Max-Age=3600; Expires="), std::string::npos) << value;
    EXPECT_NE(value.find(" GMT"), std::string::npos);
    EXPECT_EQ(
        delete_cookie_value("a", {}),
        "a=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
}

TEST(SetCookie, RefusesWhatWouldInjectAttributes) {
    EXPECT_THROW(set_cookie_value("a b", "1", {}), famigo::Error);
    EXPECT_THROW(set_cookie_value("", "1", {}), famigo::Error);
    EXPECT_THROW(set_cookie_value("a", "1; Domain=evil.com", {}), famigo::Error);
    EXPECT_THROW(set_cookie_value("a", "x\r\nSet-Cookie: b=1", {}), famigo::Error);
    EXPECT_THROW(set_cookie_value("a", "caf\xc3\xa9", {}), famigo::Error);
    CookieOptions bad;
    bad.path = "/; Secure";
    EXPECT_THROW(set_cookie_value("a", "1", bad), famigo::Error);
}

TEST(SetCookie, ParseSameSite) {
    EXPECT_EQ(parse_same_site("lax"), SameSite::Lax);
    EXPECT_EQ(parse_same_site("Strict"), SameSite::Strict);
    EXPECT_EQ(parse_same_site("NONE"), SameSite::None);
    EXPECT_EQ(parse_same_site("sometimes"), std::nullopt);
}

TEST(SetCookie, ReplaceKeepsOtherCookies) {
    Response response;
    response.add_header("Set-Cookie", "a=1; Path=/");
    response.add_header("Set-Cookie", "b=2; Path=/");
    response.set_header("Content-Type", "text/html");
    EXPECT_EQ(find_set_cookie(response, "b"), "2");
    replace_set_cookie(response, "a", "a=9; Path=/");
    EXPECT_EQ(find_set_cookie(response, "a"), "9");
    EXPECT_EQ(find_set_cookie(response, "b"), "2");
    replace_set_cookie(response, "c", "c=3");
    EXPECT_EQ(find_set_cookie(response, "c"), "3");
    size_t cookies = 0;
    for (size_t i = 0; i < response.header_count(); ++i)
        cookies += response.header_at(i).first == "Set-Cookie";
    EXPECT_EQ(cookies, 3u);
    EXPECT_EQ(response.header("Content-Type"), "text/html");
}
