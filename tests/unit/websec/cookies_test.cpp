#include "web/security/cookies.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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

// Invariants of any parse, whatever the bytes: every pair is a view into the
// header, in header order, one per ';'-separated piece at most; a name is never
// empty, never holds ';' or '=', never starts or ends with blanks; a value never
// holds ';'; parsing is deterministic; find_cookie agrees with the first pair of
// each name.
void expect_parse_invariants(std::string_view header) {
    auto pairs = parse_cookie_header(header);
    ASSERT_EQ(pairs, parse_cookie_header(header));
    std::size_t pieces = 1 + std::size_t(std::count(header.begin(), header.end(), ';'));
    ASSERT_LE(pairs.size(), pieces);
    const char* previous_end = header.data();
    Request request;
    request.add_header("Cookie", header);
    for (const auto& [name, value] : pairs) {
        ASSERT_GE(name.data(), previous_end) << "pairs out of header order";
        ASSERT_LE(value.data() + value.size(), header.data() + header.size());
        ASSERT_GE(value.data(), name.data() + name.size()) << "value before its name";
        previous_end = value.data() + value.size();
        ASSERT_FALSE(name.empty());
        ASSERT_EQ(name.find_first_of(";="), std::string_view::npos) << name;
        ASSERT_NE(name.front(), ' ');
        ASSERT_NE(name.back(), ' ');
        ASSERT_NE(name.front(), '\t');
        ASSERT_NE(name.back(), '\t');
        ASSERT_EQ(value.find(';'), std::string_view::npos) << value;
        // clang 14 cannot capture a structured binding: compare against a copy of the view.
        std::string_view this_name = name;
        auto first = std::find_if(pairs.begin(), pairs.end(),
                                  [&](const CookiePair& p) { return p.first == this_name; });
        ASSERT_EQ(find_cookie(request, name), first->second);
    }
}

TEST(CookieHeader, RandomBytesKeepTheParseInvariants) {
    std::mt19937 random(20261203);
    std::uniform_int_distribution<int> byte(0, 255), length(0, 64);
    for (int round = 0; round < 3000; ++round) {
        std::string header;
        for (int n = length(random); n > 0; --n) {
            int b = byte(random);
            // Half the bytes from the characters that give a header its shape.
            if (b % 2 == 0) b = " ;=\"\ta"[std::size_t(b / 2) % 6];
            header += char(b);
        }
        SCOPED_TRACE(::testing::PrintToString(header));
        expect_parse_invariants(header);
    }
}

// Valid cookies (token names, cookie-octet values, optionally quoted) joined as
// a browser sends them parse back exactly, also with junk pieces between them.
TEST(CookieHeader, GeneratedValidHeadersRoundTrip) {
    std::mt19937 random(7);
    std::string token_chars, octets;
    for (int c = 0x21; c < 0x7F; ++c) {
        if (is_cookie_name(std::string(1, char(c)))) token_chars += char(c);
        if (is_cookie_value(std::string(1, char(c)))) octets += char(c);
    }
    ASSERT_EQ(token_chars.find_first_of(";= "), std::string::npos);
    auto pick = [&](const std::string& from, int min, int max) {
        std::string out;
        for (int n = std::uniform_int_distribution<int>(min, max)(random); n > 0; --n)
            out += from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
        return out;
    };
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::pair<std::string, std::string>> cookies;
        std::string header;
        for (int n = std::uniform_int_distribution<int>(1, 6)(random); n > 0; --n) {
            cookies.emplace_back(pick(token_chars, 1, 12), pick(octets, 0, 24));
            bool quoted = random() % 4 == 0;
            bool junk = random() % 4 == 0;  // a piece with no '=' is skipped
            if (!header.empty()) header += random() % 2 ? "; " : ";";
            if (junk) header += "junk piece;";
            header += cookies.back().first + "=" +
                      (quoted ? "\"" + cookies.back().second + "\"" : cookies.back().second);
        }
        SCOPED_TRACE(header);
        auto pairs = parse_cookie_header(header);
        ASSERT_EQ(pairs.size(), cookies.size());
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            EXPECT_EQ(pairs[i].first, cookies[i].first);
            EXPECT_EQ(pairs[i].second, cookies[i].second);
        }
        expect_parse_invariants(header);
    }
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
