#include "http/parser.hpp"

#include <cstring>

#include "core/encoding.hpp"
#include "core/strings.hpp"

namespace famigo::http {
namespace {

// Character classes as 256-entry tables: one load per byte on the hot path.
struct CharClasses {
    bool tchar[256] = {};        // RFC 9110 tchar: methods and header names
    bool field_value[256] = {};  // visible ASCII, space, tab, obs-text; no other controls
    bool target[256] = {};  // visible ASCII only: spaces, controls and raw UTF-8 must be encoded

    constexpr CharClasses() {
        for (int c = 0; c < 256; ++c) {
            bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            bool symbol = false;
            for (const char* p = "!#$%&'*+-.^_`|~"; *p; ++p) symbol = symbol || c == *p;
            tchar[c] = alnum || symbol;
            field_value[c] = c == '\t' || (c >= 0x20 && c != 0x7f);
            target[c] = c > 0x20 && c < 0x7f;
        }
    }
};
constexpr CharClasses kChars;

template <size_t N>
bool all_of_class(std::string_view text, const bool (&table)[N]) {
    for (unsigned char c : text)
        if (!table[c]) return false;
    return true;
}

Method to_method(std::string_view m) {
    switch (m.size()) {
        case 3:
            if (m == "GET") return Method::Get;
            if (m == "PUT") return Method::Put;
            break;
        case 4:
            if (m == "HEAD") return Method::Head;
            if (m == "POST") return Method::Post;
            break;
        case 5:
            if (m == "PATCH") return Method::Patch;
            break;
        case 6:
            if (m == "DELETE") return Method::Delete;
            break;
        case 7:
            if (m == "OPTIONS") return Method::Options;
            break;
    }
    return Method::Other;
}

HeadResult fail(int status, std::string_view reason) {
    HeadResult r;
    r.status = ParseStatus::Error;
    r.error = {status, reason};
    return r;
}

// Splits the target into path and query. An absolute-form target gives its
// path, and its authority in `authority` (RFC 9112 §3.2.2: it wins over Host).
bool split_target(std::string_view target, Request& out, std::string_view& authority) {
    std::string_view path = target;
    if (target.front() != '/') {
        if (target == "*") {
            out.path = target;
            return out.method == Method::Options;
        }
        size_t scheme_end = target.find("://");
        if (scheme_end == std::string_view::npos) return false;
        std::string_view scheme = target.substr(0, scheme_end);
        if (!strings::iequals(scheme, "http") && !strings::iequals(scheme, "https")) return false;
        size_t authority_end = target.find_first_of("/?", scheme_end + 3);
        authority = target.substr(scheme_end + 3, authority_end - (scheme_end + 3));
        // No empty host, and no userinfo ("user@host"), which only serves to deceive.
        if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
        path = authority_end == std::string_view::npos || target[authority_end] != '/'
                   ? std::string_view("/")
                   : target.substr(authority_end);
        if (authority_end != std::string_view::npos && target[authority_end] == '?') {
            out.path = "/";  // "http://host?q": the path is "/"
            out.query = target.substr(authority_end + 1);
            return out.query.find('#') == std::string_view::npos;
        }
    }
    size_t q = path.find('?');
    if (q == std::string_view::npos) {
        out.path = path;
    } else {
        out.path = path.substr(0, q);
        out.query = path.substr(q + 1);
    }
    // A fragment is never sent by a conforming client; refuse it rather than guess.
    return out.path.find('#') == std::string_view::npos &&
           out.query.find('#') == std::string_view::npos;
}

}  // namespace

HeadResult parse_head(std::string_view data, const ParserLimits& limits, Request& out,
                      size_t& scan_from) {
    // RFC 9112 §2.2: ignore empty lines before the request line.
    size_t start = 0;
    while (start + 1 < data.size() && data[start] == '\r' && data[start + 1] == '\n') start += 2;
    if (start > 0 && scan_from < start) scan_from = start;

    // Find the end of the head, resuming where the last call stopped.
    size_t from = scan_from >= 3 ? scan_from - 3 : 0;
    if (from < start) from = start;
    size_t head_end = data.find("\r\n\r\n", from);
    if (head_end != std::string_view::npos) head_end += 4;
    if (head_end == std::string_view::npos) {
        scan_from = data.size();
        size_t line_end = data.find('\n', start);
        size_t line_len = (line_end == std::string_view::npos ? data.size() : line_end) - start;
        if (line_len > limits.max_request_line + 1) return fail(414, "request line too long");
        // Leading empty lines count too: a head never fills the read buffer, so
        // there is always room left to read its body through.
        if (data.size() > limits.max_header_bytes) return fail(431, "request header too large");
        return {};
    }
    if (head_end > limits.max_header_bytes + 4) {
        size_t line_end = data.find('\n', start);
        if (line_end - start > limits.max_request_line + 1)
            return fail(414, "request line too long");
        return fail(431, "request header too large");
    }

    std::string_view head = data.substr(start, head_end - start - 2);  // keeps each line's CRLF
    size_t line_end = head.find("\r\n");
    std::string_view line = head.substr(0, line_end);
    if (line.size() > limits.max_request_line) return fail(414, "request line too long");

    // Request line: method SP target SP version.
    size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || sp1 == 0) return fail(400, "malformed request line");
    size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return fail(400, "malformed request line");
    std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (!all_of_class(method, kChars.tchar)) return fail(400, "malformed method");
    if (!all_of_class(target, kChars.target)) return fail(400, "malformed request target");
    if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' ||
        version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
        return fail(400, "malformed HTTP version");
    if (version[5] != '1') return fail(505, "HTTP version not supported");

    out.method_text = method;
    out.method = to_method(method);
    out.target = target;
    out.minor_version = version[7] - '0';
    std::string_view authority;
    if (!split_target(target, out, authority)) return fail(400, "malformed request target");

    // Header fields.
    HeadResult result;
    bool seen_length = false, seen_host = false, seen_te = false;
    std::string_view transfer_encoding, connection;
    size_t pos = line_end + 2;
    while (pos < head.size()) {
        size_t end = head.find("\r\n", pos);
        std::string_view field = head.substr(pos, end - pos);
        pos = end + 2;
        if (field.size() > limits.max_header_field) return fail(431, "header field too large");
        if (field.front() == ' ' || field.front() == '\t')
            return fail(400, "obsolete line folding");
        size_t colon = field.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return fail(400, "malformed header field");
        std::string_view name = field.substr(0, colon);
        if (!all_of_class(name, kChars.tchar)) return fail(400, "malformed header field name");
        std::string_view value = strings::trim(field.substr(colon + 1));
        if (!all_of_class(value, kChars.field_value))
            return fail(400, "malformed header field value");
        if (!out.add_header(name, value)) return fail(431, "too many header fields");

        switch (name.size()) {
            case 4:
                if (strings::iequals(name, "host")) {
                    if (seen_host) return fail(400, "more than one Host header");
                    seen_host = true;
                    out.set_host(value);
                }
                break;
            case 6:
                if (strings::iequals(name, "expect")) {
                    if (!strings::iequals(value, "100-continue"))
                        return fail(417, "unsupported expectation");
                    result.framing.expect_continue = true;
                }
                break;
            case 10:
                if (strings::iequals(name, "connection")) connection = value;
                break;
            case 14:
                if (strings::iequals(name, "content-length")) {
                    // A list of equal values ("5, 5") is allowed by RFC 9110; keep it strict but
                    // tolerant of that.
                    std::uint64_t length = 0;
                    bool first = true;
                    for (auto part : strings::split(value, ',')) {
                        auto n = strings::parse_u64(strings::trim(part));
                        if (!n) return fail(400, "malformed Content-Length");
                        if (!first && *n != length) return fail(400, "conflicting Content-Length");
                        length = *n;
                        first = false;
                    }
                    if (seen_length && length != result.framing.length)
                        return fail(400, "conflicting Content-Length");
                    seen_length = true;
                    result.framing.length = length;
                }
                break;
            case 17:
                if (strings::iequals(name, "transfer-encoding")) {
                    if (seen_te) return fail(400, "more than one Transfer-Encoding header");
                    seen_te = true;
                    transfer_encoding = value;
                }
                break;
        }
    }

    if (out.minor_version >= 1 && !seen_host) return fail(400, "missing Host header");
    // The host is the absolute-form target's authority, whatever Host says, so
    // the allowed-hosts check sees the host the request is really for.
    if (!authority.empty()) out.set_host(authority);
    if (seen_te) {
        if (seen_length) return fail(400, "both Content-Length and Transfer-Encoding");
        if (out.minor_version == 0) return fail(400, "Transfer-Encoding in HTTP/1.0");
        if (!strings::iequals(transfer_encoding, "chunked"))
            return fail(501, "unsupported Transfer-Encoding");
        result.framing.kind = BodyKind::Chunked;
    } else if (seen_length && result.framing.length > 0) {
        if (result.framing.length > limits.max_body_bytes)
            return fail(413, "request body too large");
        result.framing.kind = BodyKind::Length;
    }

    if (out.minor_version == 0)
        out.keep_alive =
            !connection.empty() && strings::list_contains_token(connection, "keep-alive");
    else
        out.keep_alive = connection.empty() || !strings::list_contains_token(connection, "close");

    result.status = ParseStatus::Complete;
    result.consumed = head_end;
    scan_from = 0;
    return result;
}

ChunkedDecoder::Result ChunkedDecoder::feed(std::string_view data, std::string& out) {
    Result result;
    auto error = [&](int status, std::string_view reason) {
        result.error = {status, reason};
        return result;
    };
    size_t i = 0;
    while (i < data.size() && state_ != State::Done) {
        unsigned char c = static_cast<unsigned char>(data[i]);
        switch (state_) {
            case State::Size: {
                int digit = encoding::hex_value(char(c));
                if (digit >= 0) {
                    if (++size_digits_ > 15) return error(413, "chunk too large");
                    remaining_ = remaining_ * 16 + unsigned(digit);
                    ++i;
                } else if (size_digits_ == 0) {
                    return error(400, "malformed chunk size");
                } else if (c == ';') {
                    state_ = State::SizeExtension;
                    ++i;
                } else if (c == '\r') {
                    state_ = State::SizeLf;
                    ++i;
                } else {
                    return error(400, "malformed chunk size");
                }
                break;
            }
            case State::SizeExtension:
                // Extensions are ignored; bound them so they cannot be used to stall us.
                if (c == '\r')
                    state_ = State::SizeLf;
                else if (++trailer_bytes_ > 4096)
                    return error(400, "chunk extension too long");
                ++i;
                break;
            case State::SizeLf:
                if (c != '\n') return error(400, "malformed chunk size line");
                ++i;
                size_digits_ = 0;
                trailer_bytes_ = 0;
                if (remaining_ == 0) {
                    state_ = State::Trailer;
                    trailer_line_empty_ = true;
                } else {
                    total_ += remaining_;
                    if (total_ > max_body_) return error(413, "request body too large");
                    state_ = State::Data;
                }
                break;
            case State::Data: {
                size_t take = std::min<std::uint64_t>(remaining_, data.size() - i);
                out.append(data.data() + i, take);
                i += take;
                remaining_ -= take;
                if (remaining_ == 0) state_ = State::DataCr;
                break;
            }
            case State::DataCr:
                if (c != '\r') return error(400, "missing CRLF after chunk");
                state_ = State::DataLf;
                ++i;
                break;
            case State::DataLf:
                if (c != '\n') return error(400, "missing CRLF after chunk");
                state_ = State::Size;
                ++i;
                break;
            case State::Trailer:
                // Trailer fields are read and dropped; an empty line ends the body.
                if (c == '\r') {
                    state_ = State::TrailerLf;
                } else {
                    trailer_line_empty_ = false;
                    if (++trailer_bytes_ > 8192) return error(431, "trailer too large");
                }
                ++i;
                break;
            case State::TrailerLf:
                if (c != '\n') return error(400, "malformed trailer");
                ++i;
                if (trailer_line_empty_)
                    state_ = State::Done;
                else {
                    state_ = State::Trailer;
                    trailer_line_empty_ = true;
                }
                break;
            case State::Done:
                break;
        }
    }
    result.consumed = i;
    result.done = state_ == State::Done;
    return result;
}

}  // namespace famigo::http
