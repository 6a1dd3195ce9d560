#include "http/fastcgi.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fcgi = famigo::http::fastcgi;
using famigo::http::Method;
using famigo::http::ParserLimits;
using famigo::http::Request;
using famigo::http::Response;
using Event = fcgi::Responder::Event;

namespace {

std::string begin_record(std::uint16_t id, std::uint16_t role = 1, bool keep = true) {
    std::string body = {char(role >> 8), char(role & 0xff), char(keep ? 1 : 0), 0, 0, 0, 0, 0};
    std::string out;
    fcgi::append_record(out, fcgi::kBeginRequest, id, body);
    return out;
}

std::string params_records(std::uint16_t id,
                           const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string stream, out;
    for (const auto& [name, value] : pairs) fcgi::append_pair(stream, name, value);
    fcgi::append_stream(out, fcgi::kParams, id, stream);
    fcgi::append_record(out, fcgi::kParams, id, {});
    return out;
}

std::string get_request(std::uint16_t id, const std::string& uri) {
    std::string out = begin_record(id);
    out += params_records(id, {{"REQUEST_METHOD", "GET"},
                               {"REQUEST_URI", uri},
                               {"SERVER_PROTOCOL", "HTTP/1.1"},
                               {"HTTP_HOST", "localhost"},
                               {"HTTP_X_FORWARDED_FOR", "203.0.113.1"},
                               {"REMOTE_ADDR", "198.18.0.2"}});
    fcgi::append_record(out, fcgi::kStdin, id, {});
    return out;
}

}  // namespace

TEST(FastCgi, PairsUseLongLengthsPast127Bytes) {
    std::string stream;
    std::string long_value(300, 'v');
    fcgi::append_pair(stream, "N", long_value);
    ASSERT_EQ(stream.size(), 1 + 4 + 1 + 300);
    std::vector<std::pair<std::string, std::string>> seen;
    EXPECT_TRUE(fcgi::for_each_pair(stream, [&](std::string_view n, std::string_view v) {
        seen.emplace_back(n, v);
        return true;
    }));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].second, long_value);
    // A length past the end is malformed, not a read past the buffer.
    EXPECT_FALSE(fcgi::for_each_pair(stream.substr(0, 50), [](auto, auto) { return true; }));
}

TEST(FastCgi, RequestFromParamsSplitAcrossReads) {
    fcgi::Responder responder(ParserLimits{}, 100);
    std::string input = get_request(1, "/app/x/?a=1");
    Request request;
    std::string control;
    std::string buffered;
    fcgi::Responder::Step step;
    for (char c : input) {  // one byte at a time: records complete only at the end
        buffered += c;
        step = responder.feed(buffered, request, control);
        buffered.erase(0, step.consumed);
        if (step.event != Event::NeedMore) break;
    }
    ASSERT_EQ(step.event, Event::Request);
    EXPECT_TRUE(buffered.empty());
    EXPECT_EQ(request.method, Method::Get);
    EXPECT_EQ(request.path, "/app/x/");
    EXPECT_EQ(request.query, "a=1");
    EXPECT_EQ(request.host(), "localhost");
    EXPECT_EQ(request.header("x-forwarded-for").value_or(""), "203.0.113.1");
    EXPECT_EQ(request.peer_address, "198.18.0.2");
    EXPECT_EQ(responder.request_id(), 1);
    EXPECT_TRUE(responder.keep_connection());
    EXPECT_TRUE(control.empty());
}

TEST(FastCgi, BodyMustMatchContentLength) {
    fcgi::Responder responder(ParserLimits{}, 100);
    std::string input = begin_record(2);
    input += params_records(2, {{"REQUEST_METHOD", "POST"},
                                {"REQUEST_URI", "/f"},
                                {"HTTP_HOST", "h"},
                                {"CONTENT_LENGTH", "5"},
                                {"CONTENT_TYPE", "text/plain"}});
    fcgi::append_record(input, fcgi::kStdin, 2, "hello");
    fcgi::append_record(input, fcgi::kStdin, 2, {});
    Request request;
    std::string control;
    auto step = responder.feed(input, request, control);
    ASSERT_EQ(step.event, Event::Request);
    EXPECT_EQ(request.body, "hello");
    EXPECT_EQ(request.header("content-type").value_or(""), "text/plain");

    responder.finish();
    std::string longer = begin_record(3);
    longer += params_records(3, {{"REQUEST_METHOD", "POST"},
                                 {"REQUEST_URI", "/f"},
                                 {"HTTP_HOST", "h"},
                                 {"CONTENT_LENGTH", "2"}});
    fcgi::append_record(longer, fcgi::kStdin, 3, "toolong");
    step = responder.feed(longer, request, control);
    EXPECT_EQ(step.event, Event::Error);
    EXPECT_EQ(step.status, 400);
}

TEST(FastCgi, HttpLimitsApply) {
    ParserLimits limits;
    limits.max_body_bytes = 10;
    fcgi::Responder responder(limits, 100);
    std::string input = begin_record(1);
    input += params_records(1, {{"REQUEST_METHOD", "POST"},
                                {"REQUEST_URI", "/"},
                                {"HTTP_HOST", "h"},
                                {"CONTENT_LENGTH", "11"}});
    Request request;
    std::string control;
    auto step = responder.feed(input, request, control);
    EXPECT_EQ(step.event, Event::Error);
    EXPECT_EQ(step.status, 413);

    fcgi::Responder other(ParserLimits{}, 100);
    std::string bad =
        begin_record(1) +
        params_records(1, {{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", "/a b"}, {"HTTP_HOST", "h"}});
    step = other.feed(bad, request, control);
    EXPECT_EQ(step.event, Event::Error);
    EXPECT_EQ(step.status, 400);
}

TEST(FastCgi, SecondRequestOnOneConnectionIsRefusedWhileOneIsActive) {
    fcgi::Responder responder(ParserLimits{}, 100);
    std::string input = begin_record(1) + begin_record(2);
    Request request;
    std::string control;
    auto step = responder.feed(input, request, control);
    EXPECT_EQ(step.event, Event::NeedMore);
    std::string expected;
    fcgi::append_end_request(expected, 2, fcgi::kCantMpxConn);
    EXPECT_EQ(control, expected);
    EXPECT_EQ(responder.request_id(), 1);
}

TEST(FastCgi, AbortBeforeTheBodyEndsTheRequest) {
    fcgi::Responder responder(ParserLimits{}, 100);
    std::string input = begin_record(4);
    fcgi::append_record(input, fcgi::kAbortRequest, 4, {});
    Request request;
    std::string control;
    responder.feed(input, request, control);
    EXPECT_FALSE(responder.active());
    std::string expected;
    fcgi::append_end_request(expected, 4, fcgi::kRequestComplete);
    EXPECT_EQ(control, expected);
}

TEST(FastCgi, ResponseIsCgiHeadThenBodyInRecords) {
    Request request;
    request.method = Method::Get;
    Response response;
    response.text(404, std::string(70000, 'b'));
    response.set_header("X-A", "1");
    std::string out;
    ASSERT_TRUE(fcgi::append_response(out, 9, request, response));
    // Decode the STDOUT stream back.
    std::string stdout_bytes;
    size_t pos = 0, records = 0;
    std::uint8_t last_type = 0;
    while (pos + 8 <= out.size()) {
        auto type = std::uint8_t(out[pos + 1]);
        size_t length = (size_t(std::uint8_t(out[pos + 4])) << 8) | std::uint8_t(out[pos + 5]);
        EXPECT_EQ((std::uint8_t(out[pos + 2]) << 8) | std::uint8_t(out[pos + 3]), 9);
        if (type == fcgi::kStdout) stdout_bytes.append(out, pos + 8, length);
        pos += 8 + length + std::uint8_t(out[pos + 6]);
        last_type = type;
        ++records;
    }
    EXPECT_EQ(pos, out.size());
    EXPECT_EQ(last_type, fcgi::kEndRequest);
    EXPECT_GE(records, 4u);  // head, two body records, empty STDOUT, END_REQUEST
    EXPECT_TRUE(stdout_bytes.starts_with("Status: 404 Not Found\r\nContent-Length: 70000\r\n"));
    EXPECT_NE(stdout_bytes.find("\r\nX-A: 1\r\n\r\n"), std::string::npos);
    EXPECT_TRUE(stdout_bytes.ends_with(std::string(70000, 'b')));

    request.method = Method::Head;
    out.clear();
    fcgi::append_response(out, 9, request, response);
    EXPECT_LT(out.size(), 400u);  // no body for HEAD
}
