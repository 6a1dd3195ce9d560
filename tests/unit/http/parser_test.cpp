#include "http/parser.hpp"

#include <gtest/gtest.h>

using namespace famigo::http;

namespace {

struct Parsed {
    HeadResult result;
    Request request;
};

Parsed parse(std::string_view text, ParserLimits limits = {}) {
    Parsed p;
    size_t scan = 0;
    p.result = parse_head(text, limits, p.request, scan);
    return p;
}

int error_status(std::string_view text, ParserLimits limits = {}) {
    auto p = parse(text, limits);
    EXPECT_EQ(p.result.status, ParseStatus::Error) << text;
    return p.result.error.status;
}

}  // namespace

TEST(Parser, SimpleGet) {
    std::string text =
        "GET /app/minecraft/?ref=home HTTP/1.1\r\nHost: www.famigo.com\r\nUser-Agent: "
        "t\r\n\r\nNEXT";
    auto p = parse(text);
    ASSERT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(p.result.consumed, text.size() - 4);
    EXPECT_EQ(p.request.method, Method::Get);
    EXPECT_EQ(p.request.path, "/app/minecraft/");
    EXPECT_EQ(p.request.query, "ref=home");
    EXPECT_EQ(p.request.host(), "www.famigo.com");
    EXPECT_EQ(p.request.header("user-agent"), "t");
    EXPECT_TRUE(p.request.keep_alive);
    EXPECT_EQ(p.result.framing.kind, BodyKind::None);
}

TEST(Parser, IncompleteUntilBlankLine) {
    auto p = parse("GET / HTTP/1.1\r\nHost: a\r\n");
    EXPECT_EQ(p.result.status, ParseStatus::Incomplete);
}

TEST(Parser, ResumesScanWithoutRescanning) {
    std::string text = "GET / HTTP/1.1\r\nHost: a\r";
    Request request;
    size_t scan = 0;
    ParserLimits limits;
    EXPECT_EQ(parse_head(text, limits, request, scan).status, ParseStatus::Incomplete);
    EXPECT_EQ(scan, text.size());
    text += "\n\r\n";
    request.reset();
    EXPECT_EQ(parse_head(text, limits, request, scan).status, ParseStatus::Complete);
}

TEST(Parser, ContentLengthFraming) {
    auto p = parse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    ASSERT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(p.result.framing.kind, BodyKind::Length);
    EXPECT_EQ(p.result.framing.length, 5u);
}

TEST(Parser, ChunkedFramingAndExpectContinue) {
    auto p = parse(
        "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: "
        "100-continue\r\n\r\n");
    ASSERT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(p.result.framing.kind, BodyKind::Chunked);
    EXPECT_TRUE(p.result.framing.expect_continue);
}

TEST(Parser, KeepAliveRules) {
    EXPECT_FALSE(
        parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").request.keep_alive);
    EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
    EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
}

TEST(Parser, AbsoluteFormTargetGivesPath) {
    auto p = parse("GET http://www.famigo.com/app/x/?a=1 HTTP/1.1\r\nHost: www.famigo.com\r\n\r\n");
    ASSERT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(p.request.path, "/app/x/");
    EXPECT_EQ(p.request.query, "a=1");
}

TEST(Parser, AbsoluteFormAuthorityIsTheHost) {
    // RFC 9112 §3.2.2: the target's authority wins over the Host header.
    auto p = parse("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ASSERT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(p.request.host(), "evil.example");
    EXPECT_EQ(p.request.path, "/");
    p = parse("GET http://127.0.0.1:8000?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(p.request.host(), "127.0.0.1:8000");
    EXPECT_EQ(p.request.path, "/");
    EXPECT_EQ(p.request.query, "q=1");
    EXPECT_EQ(error_status("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET http://user@a/x HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
}

TEST(Parser, HeaderFieldOverItsLimitGets431) {
    ParserLimits limits;
    limits.max_header_field = 100;
    std::string field = "X-Big: " + std::string(93, 'b');  // exactly 100 bytes
    auto p = parse("GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n", limits);
    EXPECT_EQ(p.result.status, ParseStatus::Complete);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost: a\r\n" + field + "b\r\n\r\n", limits), 431);
    // The default is 8 KiB: a 20 KB field is refused though the head is under 32 KiB.
    EXPECT_EQ(
        error_status("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(20000, 'b') + "\r\n\r\n"),
        431);
}

TEST(Parser, LeadingEmptyLinesAreIgnored) {
    auto p = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_EQ(p.result.status, ParseStatus::Complete);
}

TEST(Parser, MalformedRequestsGet400) {
    EXPECT_EQ(error_status("GET\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("G@T / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTX/1.1\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET nothing HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\n\r\n"), 400);  // no Host
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
    EXPECT_EQ(error_status("GET /#frag HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
}

TEST(Parser, SmugglingShapesAreRefused) {
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: "
                           "chunked\r\n\r\n"),
              400);
    EXPECT_EQ(error_status(
                  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
              400);
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n"), 400);
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n"), 400);
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n"), 400);
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
                           "chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
              400);
    EXPECT_EQ(error_status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
    EXPECT_EQ(
        error_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        501);
    // Equal duplicates are allowed by RFC 9110.
    auto p = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n");
    EXPECT_EQ(p.result.status, ParseStatus::Complete);
}

TEST(Parser, LimitsGiveTheRightStatus) {
    ParserLimits limits;
    limits.max_request_line = 64;
    limits.max_header_bytes = 256;
    limits.max_body_bytes = 100;
    std::string long_target = "GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
    EXPECT_EQ(error_status(long_target, limits), 414);
    // Still incomplete, but already too long.
    EXPECT_EQ(error_status("GET /" + std::string(100, 'a'), limits), 414);
    std::string big_head =
        "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(300, 'b') + "\r\n\r\n";
    EXPECT_EQ(error_status(big_head, limits), 431);
    EXPECT_EQ(error_status("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(300, 'b'), limits),
              431);
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", limits),
              413);
    std::string many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 101; ++i) many += "X: 1\r\n";
    EXPECT_EQ(error_status(many + "\r\n"), 431);
    // Leading empty lines count toward the head's size.
    std::string padded;
    for (int i = 0; i < 120; ++i) padded += "\r\n";
    EXPECT_EQ(error_status(padded + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", limits), 431);
}

TEST(Parser, VersionsAndExpectations) {
    EXPECT_EQ(error_status("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505);
    EXPECT_EQ(error_status("POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n"), 417);
}

TEST(Chunked, DecodesAcrossFeeds) {
    ChunkedDecoder decoder(1000);
    std::string body;
    std::string input = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
    size_t pos = 0;
    ChunkedDecoder::Result r;
    // Feed one byte at a time: the decoder keeps its state between calls.
    while (pos < input.size()) {
        r = decoder.feed(std::string_view(input).substr(pos, 1), body);
        ASSERT_EQ(r.error.status, 0);
        pos += r.consumed;
        if (r.done) break;
    }
    EXPECT_TRUE(r.done);
    EXPECT_EQ(body, "hello world");
    EXPECT_EQ(input.substr(pos), "NEXT");
}

TEST(Chunked, RejectsMalformedAndOversized) {
    std::string body;
    EXPECT_EQ(ChunkedDecoder(1000).feed("zz\r\n", body).error.status, 400);
    EXPECT_EQ(ChunkedDecoder(1000).feed("5\r\nhelloXX", body).error.status, 400);
    EXPECT_EQ(ChunkedDecoder(4).feed("5\r\nhello\r\n0\r\n\r\n", body).error.status, 413);
    EXPECT_EQ(ChunkedDecoder(1000).feed("ffffffffffffffffff\r\n", body).error.status, 413);
}
