#include "http/conditional.hpp"

#include <gtest/gtest.h>

namespace famigo::http {
namespace {

TEST(HttpDate, FormatsImfFixdate) {
    EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(HttpDate, ParsesTheThreeFormats) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
    EXPECT_EQ(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"), 1835481599);
}

TEST(HttpDate, RejectsGarbage) {
    for (const char* text :
         {"", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 6 Nov 1994 08:49:37 GMT",
          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
          "Sun, 06 Nov 1994 08:49:37 GMT trailing", "-1"})
        EXPECT_FALSE(parse_http_date(text)) << text;
}

TEST(ETag, WeakComparison) {
    EXPECT_TRUE(etag_matches_weak("\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches_weak("W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches_weak("\"x\", W/\"abc\" ,\"y\"", "\"abc\""));
    EXPECT_TRUE(etag_matches_weak(" * ", "\"abc\""));
    EXPECT_FALSE(etag_matches_weak("\"abcd\"", "\"abc\""));
    EXPECT_FALSE(etag_matches_weak("abc", "\"abc\""));  // unquoted: malformed
    EXPECT_FALSE(etag_matches_weak("", "\"abc\""));
    EXPECT_FALSE(etag_matches_weak("\"abc", "\"abc\""));
}

TEST(ETag, StrongComparison) {
    EXPECT_TRUE(etag_matches_strong("\"abc\"", "\"abc\""));
    EXPECT_FALSE(etag_matches_strong("W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches_strong("W/\"x\", \"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches_strong("*", "\"abc\""));
}

RangeRequest range(const char* header, std::uint64_t size) {
    return parse_range(header, size);
}

TEST(Range, Satisfiable) {
    auto r = range("bytes=0-99", 1000);
    EXPECT_EQ(r.kind, RangeRequest::Kind::Satisfiable);
    EXPECT_EQ(r.offset, 0u);
    EXPECT_EQ(r.length, 100u);
    r = range("bytes=500-", 1000);
    EXPECT_EQ(r.offset, 500u);
    EXPECT_EQ(r.length, 500u);
    r = range("bytes=-100", 1000);
    EXPECT_EQ(r.offset, 900u);
    EXPECT_EQ(r.length, 100u);
    r = range("bytes=-5000", 1000);  // longer suffix than the file: all of it
    EXPECT_EQ(r.offset, 0u);
    EXPECT_EQ(r.length, 1000u);
    r = range("bytes=990-5000", 1000);  // last clamped
    EXPECT_EQ(r.offset, 990u);
    EXPECT_EQ(r.length, 10u);
    r = range("Bytes=5-5", 1000);
    EXPECT_EQ(r.kind, RangeRequest::Kind::Satisfiable);
    EXPECT_EQ(r.length, 1u);
    r = range("bytes=0-99999999999999999999999", 10);
    EXPECT_EQ(r.kind, RangeRequest::Kind::Satisfiable);
    EXPECT_EQ(r.length, 10u);
}

TEST(Range, Unsatisfiable) {
    EXPECT_EQ(range("bytes=1000-", 1000).kind, RangeRequest::Kind::Unsatisfiable);
    EXPECT_EQ(range("bytes=1000-2000", 1000).kind, RangeRequest::Kind::Unsatisfiable);
    EXPECT_EQ(range("bytes=-0", 1000).kind, RangeRequest::Kind::Unsatisfiable);
    EXPECT_EQ(range("bytes=0-", 0).kind, RangeRequest::Kind::Unsatisfiable);
    EXPECT_EQ(range("bytes=-1", 0).kind, RangeRequest::Kind::Unsatisfiable);
}

TEST(Range, IgnoredHeaders) {
    for (const char* header : {"", "bytes=", "bytes=-", "bytes=5-2", "bytes=a-b", "items=0-1",
                               "bytes=0-1,5-6", "bytes=0-1, 5-", "bytes 0-1", "bytes=1-2-3"})
        EXPECT_EQ(range(header, 1000).kind, RangeRequest::Kind::Ignore) << header;
}

TEST(Encoding, Negotiation) {
    using E = Encoding;
    EXPECT_EQ(choose_encoding(std::nullopt, true, true), E::Identity);
    EXPECT_EQ(choose_encoding("", true, true), E::Identity);
    EXPECT_EQ(choose_encoding("gzip, deflate, br", true, true), E::Brotli);
    EXPECT_EQ(choose_encoding("gzip, deflate, br", false, true), E::Gzip);
    EXPECT_EQ(choose_encoding("gzip, deflate", true, true), E::Gzip);
    EXPECT_EQ(choose_encoding("br;q=0, gzip", true, true), E::Gzip);
    EXPECT_EQ(choose_encoding("br;q=0.5, gzip;q=0.8", true, true), E::Gzip);
    EXPECT_EQ(choose_encoding("br;q=0.8, gzip;q=0.8", true, true), E::Brotli);
    EXPECT_EQ(choose_encoding("*", true, true), E::Brotli);
    EXPECT_EQ(choose_encoding("*;q=0", true, true), E::Identity);
    EXPECT_EQ(choose_encoding("*, br;q=0", true, true), E::Gzip);
    EXPECT_EQ(choose_encoding("identity", true, true), E::Identity);
    EXPECT_EQ(choose_encoding("gzip;q=0.5, identity;q=1", true, true), E::Identity);
    EXPECT_EQ(choose_encoding("gzip, identity;q=0", true, true), E::Gzip);
    EXPECT_EQ(choose_encoding("x-gzip", true, true), E::Gzip);
    EXPECT_EQ(choose_encoding("GZIP, BR", true, true), E::Brotli);
    EXPECT_EQ(choose_encoding("br", false, true), E::Identity);
    EXPECT_EQ(choose_encoding("br;q=abc, gzip", true, true), E::Gzip);  // malformed q ignored
    EXPECT_EQ(choose_encoding("br;q=1.5", true, true), E::Identity);
    EXPECT_EQ(choose_encoding("br ; q=0.001", true, true), E::Brotli);
}

}  // namespace
}  // namespace famigo::http
