// Fuzzes request parsing: the head parser (fed whole and byte by byte, which
// must agree), the chunked decoder, percent-decoding and routing of the path.
// Inputs starting with byte 1 (a FastCGI record's version) go to the FastCGI
// responder instead, fed whole and in pieces, which must agree; one target for
// both keeps the fuzz stage's time (each target runs FUZZ_SECONDS).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/encoding.hpp"
#include "http/fastcgi.hpp"
#include "http/parser.hpp"
#include "http/router.hpp"

using namespace famigo::http;
namespace fcgi = famigo::http::fastcgi;

namespace {

const Router& router() {
    static const Router r = [] {
        Router built;
        auto noop = [](Request&, Response&) {};
        built.add("home", "/", noop);
        built.add("app", "/app/<slug:slug>/", noop);
        built.add("applist", "/applist/<int:id>/", noop);
        built.add("static", "/static/<path:file>", noop);
        built.add("term", "/search/<str:term>/", noop);
        return built;
    }();
    return r;
}

struct FastCgiTrace {
    std::string events;   // one letter per event, with the request's target
    std::string control;  // records answered without the app
};

FastCgiTrace run_fastcgi(std::string_view input, size_t piece) {
    ParserLimits limits;
    limits.max_header_bytes = 1024;
    limits.max_body_bytes = 4096;
    fcgi::Responder responder(limits, 16);
    Request request;
    Response response;
    FastCgiTrace trace;
    std::string buffered;
    size_t fed = 0;
    while (fed < input.size()) {
        size_t n = std::min(piece, input.size() - fed);
        buffered.append(input.substr(fed, n));
        fed += n;
        while (true) {
            auto step = responder.feed(buffered, request, trace.control);
            if (step.consumed > buffered.size()) std::abort();
            buffered.erase(0, step.consumed);
            if (step.event == fcgi::Responder::Event::NeedMore) break;
            if (step.event == fcgi::Responder::Event::Close) return trace;
            if (step.event == fcgi::Responder::Event::Error) {
                trace.events += 'E' + std::to_string(step.status);
                return trace;
            }
            trace.events += 'R';
            trace.events.append(request.target);
            trace.events += '|';
            trace.events.append(request.body);
            response.reset();
            response.text(200, request.body);
            std::string out;
            fcgi::append_response(out, responder.request_id(), request, response);
            responder.finish();
        }
    }
    return trace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    if (size > 0 && data[0] == 1) {
        FastCgiTrace whole = run_fastcgi(input, input.size() + 1);
        FastCgiTrace pieces = run_fastcgi(input, 7);
        if (whole.events != pieces.events || whole.control != pieces.control) std::abort();
        return 0;
    }
    ParserLimits limits;
    limits.max_request_line = 512;
    limits.max_header_bytes = 2048;
    limits.max_body_bytes = 4096;

    Request whole;
    size_t scan = 0;
    HeadResult result = parse_head(input, limits, whole, scan);

    // Incremental parsing over growing prefixes must reach the same verdict.
    Request piecewise;
    size_t scan_piecewise = 0;
    HeadResult step;
    for (size_t n = 1; n <= size; ++n) {
        piecewise.reset();
        step = parse_head(input.substr(0, n), limits, piecewise, scan_piecewise);
        if (step.status != ParseStatus::Incomplete) break;
    }
    if (size > 0 && result.status == ParseStatus::Complete &&
        (step.status != ParseStatus::Complete || step.consumed != result.consumed))
        std::abort();

    if (result.status == ParseStatus::Complete) {
        if (result.consumed > size) std::abort();
        RouteParams params;
        router().match(whole.method, whole.path, params);
        std::string body;
        ChunkedDecoder decoder(limits.max_body_bytes);
        auto chunk = decoder.feed(input.substr(result.consumed), body);
        if (chunk.consumed > size - result.consumed || body.size() > limits.max_body_bytes)
            std::abort();
    }
    std::string decoded;
    famigo::encoding::percent_decode(input, decoded);
    return 0;
}
