// The page cache's pure rules: identities and keys, what may be stored, and
// the record format kept in memcached.
#include "cache/page/page_rules.hpp"

#include <gtest/gtest.h>

#include "cache/page/page_options.hpp"
#include "cache/page/page_record.hpp"
#include "core/error.hpp"

namespace famigo::cache {
namespace {

using namespace std::chrono_literals;

http::Request request_for(std::string_view host, std::string_view path, std::string_view query) {
    http::Request r;
    r.method = http::Method::Get;
    r.path = path;
    r.query = query;
    r.set_host(host);
    return r;
}

TEST(PageRules, IdentityCoversHostPathAndQuery) {
    std::string a, b, c, d;
    page_identity(request_for("example.com", "/app/x/", ""), "", a);
    page_identity(request_for("example.com", "/app/x/", "page=2"), "page=2", b);
    page_identity(request_for("other.com", "/app/x/", ""), "", c);
    page_identity(request_for("example.com", "/app/y/", ""), "", d);
    EXPECT_EQ(a, "example.com /app/x/");
    EXPECT_EQ(b, "example.com /app/x/?page=2");
    std::string ka, kb, kc, kd;
    page_key("pages", a, ka);
    page_key("pages", b, kb);
    page_key("pages", c, kc);
    page_key("pages", d, kd);
    EXPECT_TRUE(ka.starts_with("pc:pages:"));
    EXPECT_EQ(ka.size(), 9u + 16);
    EXPECT_NE(ka, kb);
    EXPECT_NE(ka, kc);
    EXPECT_NE(ka, kd);
    std::string again;
    page_key("pages", a, again);
    EXPECT_EQ(ka, again);  // stable: hosts sharing memcached agree
}

TEST(PageRules, VariantIdentityTellsAbsentFromEmpty) {
    auto r1 = request_for("h", "/", "");
    r1.add_header("Accept-Language", "fr");
    auto r2 = request_for("h", "/", "");
    r2.add_header("Accept-Language", "");
    auto r3 = request_for("h", "/", "");
    std::vector<std::string> vary = {"accept-language"};
    std::string v1, v2, v3;
    variant_identity(r1, "h /", vary, v1);
    variant_identity(r2, "h /", vary, v2);
    variant_identity(r3, "h /", vary, v3);
    EXPECT_EQ(v1, "h /\naccept-language:fr");
    EXPECT_NE(v2, v3);
}

http::Response ok(std::initializer_list<std::pair<const char*, const char*>> headers) {
    http::Response r;
    r.text(200, "body");
    for (auto [n, v] : headers) r.add_header(n, v);
    return r;
}

TEST(PageRules, OnlyPlainSuccessfulAnswersAreStored) {
    EXPECT_TRUE(store_decision(ok({}), 60s, 1024).store);
    EXPECT_EQ(store_decision(ok({}), 60s, 1024).ttl, 60s);
    EXPECT_FALSE(store_decision(ok({{"Set-Cookie", "a=b"}}), 60s, 1024).store);
    EXPECT_FALSE(store_decision(ok({{"Cache-Control", "private"}}), 60s, 1024).store);
    EXPECT_FALSE(store_decision(ok({{"Cache-Control", "public, no-store"}}), 60s, 1024).store);
    EXPECT_FALSE(store_decision(ok({{"Cache-Control", "max-age=0"}}), 60s, 1024).store);
    EXPECT_FALSE(store_decision(ok({{"Vary", "*"}}), 60s, 1024).store);
    EXPECT_FALSE(store_decision(ok({}), 60s, 3).store);  // larger than max_body
    http::Response missing;
    missing.text(404, "no");
    EXPECT_FALSE(store_decision(missing, 60s, 1024).store);
}

TEST(PageRules, MaxAgeSetsTheTtlAndVaryIsCollected) {
    auto d = store_decision(ok({{"Cache-Control", "public, max-age=30"},
                                {"Vary", "Accept-Language, Accept-Encoding"},
                                {"Vary", "X-Flavour"}}),
                            60s, 1024);
    EXPECT_TRUE(d.store);
    EXPECT_EQ(d.ttl, 30s);
    EXPECT_EQ(d.vary,
              (std::vector<std::string>{"accept-language", "accept-encoding", "x-flavour"}));
}

TEST(PageRules, PerResponseHeadersAreNotKept) {
    EXPECT_TRUE(keep_header("Content-Type"));
    EXPECT_TRUE(keep_header("ETag"));
    EXPECT_FALSE(keep_header("set-cookie"));
    EXPECT_FALSE(keep_header("Date"));
    EXPECT_FALSE(keep_header("X-Request-Id"));
    EXPECT_TRUE(header_for_not_modified("etag"));
    EXPECT_FALSE(header_for_not_modified("Content-Type"));
}

TEST(PageRecordFormat, RoundTripsAndRejectsDamage) {
    PageRecord r;
    r.identity = "h /x";
    r.generation = 7;
    r.stored_ms = 1000;
    r.fresh_until_ms = 2000;
    r.vary = {"accept-language"};
    r.status = 200;
    r.headers = {{"Content-Type", "text/html"}, {"ETag", "\"abc\""}};
    r.etag = "\"abc\"";
    r.body = std::make_shared<const std::string>(std::string("bin\0ary", 7));
    std::string bytes = encode(r);
    auto back = decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->identity, r.identity);
    EXPECT_EQ(back->generation, 7u);
    EXPECT_EQ(back->fresh_until_ms, 2000);
    EXPECT_EQ(back->vary, r.vary);
    EXPECT_EQ(back->headers, r.headers);
    EXPECT_EQ(back->etag, r.etag);
    EXPECT_EQ(*back->body, *r.body);
    EXPECT_FALSE(decode(bytes.substr(0, bytes.size() - 1)));
    EXPECT_FALSE(decode(bytes + "x"));
    EXPECT_FALSE(decode("not a record"));
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) EXPECT_FALSE(decode(bytes.substr(0, cut)));
}

TEST(PageOptions, RouteRulesParse) {
    auto rule = parse_route_rule("app-detail=10m@apps", "test");
    EXPECT_EQ(rule.route, "app-detail");
    EXPECT_EQ(rule.ttl, 600s);
    EXPECT_EQ(rule.space, "apps");
    EXPECT_EQ(parse_route_rule("home=30", "").ttl, 30ms);
    EXPECT_EQ(parse_route_rule("home=30s", "").space, "pages");
    EXPECT_THROW(parse_route_rule("home", ""), ConfigError);
    EXPECT_THROW(parse_route_rule("home=soon", ""), ConfigError);
    EXPECT_THROW(parse_route_rule("home=1m@bad space", ""), ConfigError);
}

}  // namespace
}  // namespace famigo::cache
