// HTTP/1.1 request parsing (RFC 9112): the request head into a Request of views,
// and chunked bodies. Strict where leniency enables request smuggling: CRLF line
// ends, no obs-fold, one Content-Length, never both Content-Length and
// Transfer-Encoding. Each failure carries the status code to answer with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace famigo::http {

struct ParserLimits {
    size_t max_request_line = 8 * 1024;               // longer: 414
    size_t max_header_bytes = 32 * 1024;              // whole head; longer or too many fields: 431
    size_t max_header_field = 8 * 1024;               // one field line, name and value: 431
    std::uint64_t max_body_bytes = 10 * 1024 * 1024;  // larger: 413
};

enum class BodyKind { None, Length, Chunked };

struct BodyFraming {
    BodyKind kind = BodyKind::None;
    std::uint64_t length = 0;      // for BodyKind::Length
    bool expect_continue = false;  // the client waits for "100 Continue"
};

struct ParseError {
    int status = 0;  // 0: no error
    std::string_view reason;
};

enum class ParseStatus { Complete, Incomplete, Error };

struct HeadResult {
    ParseStatus status = ParseStatus::Incomplete;
    size_t consumed = 0;  // bytes of the head, including the final CRLF, when Complete
    BodyFraming framing;
    ParseError error;
};

// Parses the head of one request at the start of `data`. `scan_from` is how far
// an earlier call already looked for the end of the head (kept by the caller so
// a slow client costs linear, not quadratic, work); it is updated.
HeadResult parse_head(std::string_view data, const ParserLimits& limits, Request& out,
                      size_t& scan_from);

// Decodes a chunked body incrementally, appending the payload to `out`.
class ChunkedDecoder {
  public:
    explicit ChunkedDecoder(std::uint64_t max_body) : max_body_(max_body) {}

    struct Result {
        size_t consumed = 0;
        bool done = false;
        ParseError error;
    };
    Result feed(std::string_view data, std::string& out);
    void reset() { *this = ChunkedDecoder(max_body_); }

  private:
    enum class State {
        Size,
        SizeExtension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        Trailer,
        TrailerLf,
        Done
    };
    State state_ = State::Size;
    std::uint64_t remaining_ = 0;
    std::uint64_t total_ = 0;
    std::uint64_t max_body_;
    size_t size_digits_ = 0;
    size_t trailer_bytes_ = 0;
    bool trailer_line_empty_ = true;
};

}  // namespace famigo::http
