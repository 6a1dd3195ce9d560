// The FastCGI 1.0 responder protocol without I/O: records in, requests out,
// and answers back into records. `famigo serve` with server.protocol=fastcgi
// sits behind a web server (lighttpd, as the original ran Django under flup)
// that speaks FastCGI to it; FastCgiConnection does the socket work and this
// file the protocol, so the fuzz target can drive it. The CGI parameters are
// turned into an HTTP/1.1 head and checked by the same parse_head() as a
// direct request, so the limits, the Host rules and every 4xx are the HTTP
// server's. One request at a time per connection (FCGI_MPXS_CONNS=0).
// docs/decisions/0002-fastcgi-record-layer.md says why we wrote it instead of using libfcgi.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/parser.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::http::fastcgi {

enum RecordType : std::uint8_t {
    kBeginRequest = 1,
    kAbortRequest = 2,
    kEndRequest = 3,
    kParams = 4,
    kStdin = 5,
    kStdout = 6,
    kStderr = 7,
    kData = 8,
    kGetValues = 9,
    kGetValuesResult = 10,
    kUnknownType = 11,
};

enum ProtocolStatus : std::uint8_t {
    kRequestComplete = 0,
    kCantMpxConn = 1,
    kOverloaded = 2,
    kUnknownRole = 3,
};

constexpr size_t kHeaderSize = 8;
constexpr size_t kMaxContent = 65535;

// Appends one record; `content` must be at most kMaxContent bytes.
void append_record(std::string& out, std::uint8_t type, std::uint16_t id, std::string_view content);
// Appends `content` as records of `type`, split at kMaxContent (none when empty).
void append_stream(std::string& out, std::uint8_t type, std::uint16_t id, std::string_view content);
void append_end_request(std::string& out, std::uint16_t id, std::uint8_t protocol_status);
// One name-value pair in FastCGI's length-prefixed encoding.
void append_pair(std::string& out, std::string_view name, std::string_view value);

// Calls visit(name, value) for each pair of a complete PARAMS stream; false
// when the stream is malformed (a length past its end) or visit returns false.
template <typename Visit>
bool for_each_pair(std::string_view stream, Visit&& visit);

// The protocol state of one connection. feed() consumes whole records and
// stops at the first event its caller must act on.
class Responder {
  public:
    Responder(const ParserLimits& limits, unsigned max_connections);

    enum class Event {
        NeedMore,  // no complete record left: read more
        Request,   // a request is complete in `request`: answer it
        Error,     // a bad request: answer `status`, then close the connection
        Close,     // a protocol violation: close without an answer
    };
    struct Step {
        Event event = Event::NeedMore;
        size_t consumed = 0;  // bytes of `data` used, whatever the event
        int status = 0;       // for Error
        std::string_view reason;
    };
    // `control` receives records answered without the app (GET_VALUES_RESULT,
    // UNKNOWN_TYPE, END_REQUEST for refused or aborted requests).
    Step feed(std::string_view data, Request& request, std::string& control);

    bool active() const { return state_ != State::Idle; }
    bool reading_body() const { return state_ == State::Stdin; }
    std::uint16_t request_id() const { return id_; }
    // The web server asked to keep the connection after this request.
    bool keep_connection() const { return keep_conn_; }
    // The answer for the current request has been written: ready for the next.
    void finish() { state_ = State::Idle; }

  private:
    enum class State { Idle, Params, Stdin, Handling };
    Step begin(std::uint16_t id, std::string_view content, std::string& control);
    Step end_params(Request& request);

    ParserLimits limits_;
    unsigned max_connections_;
    State state_ = State::Idle;
    std::uint16_t id_ = 0;
    bool keep_conn_ = false;
    std::uint64_t content_length_ = 0;
    bool has_length_ = false;
    std::string params_;  // the PARAMS stream as received
    std::string head_;    // the HTTP head built from it; the Request's views point here
};

// Appends the CGI answer for `response` (Status line, Content-Length, the
// response's headers, the body unless HEAD/204/304) as STDOUT records, the
// empty STDOUT record and END_REQUEST. A file body is read with pread(2).
// False when a file body could not be read whole (the answer is then cut).
bool append_response(std::string& out, std::uint16_t id, const Request& request,
                     const Response& response);

template <typename Visit>
bool for_each_pair(std::string_view stream, Visit&& visit) {
    size_t pos = 0;
    auto length = [&](std::uint32_t& n) {
        if (pos >= stream.size()) return false;
        auto b0 = static_cast<unsigned char>(stream[pos]);
        if (b0 < 0x80) {
            n = b0;
            ++pos;
            return true;
        }
        if (stream.size() - pos < 4) return false;
        n = (std::uint32_t(b0 & 0x7f) << 24) |
            (std::uint32_t(static_cast<unsigned char>(stream[pos + 1])) << 16) |
            (std::uint32_t(static_cast<unsigned char>(stream[pos + 2])) << 8) |
            std::uint32_t(static_cast<unsigned char>(stream[pos + 3]));
        pos += 4;
        return true;
    };
    while (pos < stream.size()) {
        std::uint32_t name_len = 0, value_len = 0;
        if (!length(name_len) || !length(value_len)) return false;
        if (name_len > stream.size() - pos || value_len > stream.size() - pos - name_len)
            return false;
        std::string_view name = stream.substr(pos, name_len);
        std::string_view value = stream.substr(pos + name_len, value_len);
        pos += name_len + value_len;
        if (!visit(name, value)) return false;
    }
    return true;
}

}  // namespace famigo::http::fastcgi
