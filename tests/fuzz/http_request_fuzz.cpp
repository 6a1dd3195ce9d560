// Fuzzes request parsing: the head parser (fed whole and byte by byte, which
// must agree), the chunked decoder, percent-decoding and routing of the path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/encoding.hpp"
#include "http/parser.hpp"
#include "http/router.hpp"

using namespace famigo::http;

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
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
