#include "http/fastcgi.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>

#include "core/strings.hpp"

namespace famigo::http::fastcgi {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint16_t kRoleResponder = 1;
constexpr std::uint8_t kFlagKeepConn = 1;
// The PARAMS stream may exceed the HTTP head it becomes by the CGI variables
// the web server adds (SERVER_*, SCRIPT_*, DOCUMENT_ROOT...): room for them.
constexpr size_t kCgiVariablesRoom = 8 * 1024;
// A file body is read and sent in pieces of one record.
constexpr size_t kFileChunk = kMaxContent;

void append_u16(std::string& out, std::uint16_t n) {
    out += char(n >> 8);
    out += char(n & 0xff);
}

void append_length(std::string& out, size_t n) {
    if (n < 0x80) {
        out += char(n);
        return;
    }
    out += char(0x80 | ((n >> 24) & 0x7f));
    out += char((n >> 16) & 0xff);
    out += char((n >> 8) & 0xff);
    out += char(n & 0xff);
}

void append_decimal(std::string& out, std::uint64_t n) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, size_t(result.ptr - digits));
}

// "HTTP_X_FORWARDED_FOR" -> "X-Forwarded-For".
void append_header_name(std::string& out, std::string_view cgi_name) {
    bool word_start = true;
    for (char c : cgi_name) {
        if (c == '_') {
            out += '-';
            word_start = true;
            continue;
        }
        out += word_start ? c : char(std::tolower(static_cast<unsigned char>(c)));
        word_start = false;
    }
}

}  // namespace

void append_record(std::string& out, std::uint8_t type, std::uint16_t id,
                   std::string_view content) {
    out += char(kVersion);
    out += char(type);
    append_u16(out, id);
    append_u16(out, std::uint16_t(content.size()));
    out += '\0';  // no padding
    out += '\0';  // reserved
    out.append(content);
}

void append_stream(std::string& out, std::uint8_t type, std::uint16_t id,
                   std::string_view content) {
    while (!content.empty()) {
        size_t n = std::min(content.size(), kMaxContent);
        append_record(out, type, id, content.substr(0, n));
        content.remove_prefix(n);
    }
}

void append_end_request(std::string& out, std::uint16_t id, std::uint8_t protocol_status) {
    const char body[8] = {0, 0, 0, 0, char(protocol_status), 0, 0, 0};  // app status 0
    append_record(out, kEndRequest, id, std::string_view(body, sizeof body));
}

void append_pair(std::string& out, std::string_view name, std::string_view value) {
    append_length(out, name.size());
    append_length(out, value.size());
    out.append(name);
    out.append(value);
}

Responder::Responder(const ParserLimits& limits, unsigned max_connections)
    : limits_(limits), max_connections_(max_connections) {}

Responder::Step Responder::feed(std::string_view data, Request& request, std::string& control) {
    Step step;
    while (data.size() - step.consumed >= kHeaderSize) {
        const auto* h = reinterpret_cast<const unsigned char*>(data.data() + step.consumed);
        if (h[0] != kVersion) {
            step.event = Event::Close;
            step.reason = "unsupported FastCGI version";
            return step;
        }
        const std::uint8_t type = h[1];
        const auto id = std::uint16_t((h[2] << 8) | h[3]);
        const size_t length = size_t((h[4] << 8) | h[5]);
        const size_t total = kHeaderSize + length + h[6];
        if (data.size() - step.consumed < total) break;
        std::string_view content = data.substr(step.consumed + kHeaderSize, length);
        step.consumed += total;

        if (id == 0) {  // a management record
            if (type == kGetValues) {
                std::string pairs;
                bool ok = for_each_pair(content, [&](std::string_view name, std::string_view) {
                    std::string value;
                    if (name == "FCGI_MAX_CONNS" || name == "FCGI_MAX_REQS")
                        append_decimal(value, max_connections_);
                    else if (name == "FCGI_MPXS_CONNS")
                        value = "0";
                    else
                        return true;  // unknown variables are left out (FastCGI §4.1)
                    append_pair(pairs, name, value);
                    return true;
                });
                if (ok) append_record(control, kGetValuesResult, 0, pairs);
            } else {
                const char body[8] = {char(type), 0, 0, 0, 0, 0, 0, 0};
                append_record(control, kUnknownType, 0, std::string_view(body, sizeof body));
            }
            continue;
        }
        if (type == kBeginRequest) {
            Step begun = begin(id, content, control);
            if (begun.event != Event::NeedMore) {
                begun.consumed = step.consumed;
                return begun;
            }
            continue;
        }
        // Records of no request of ours (an old one, or one we refused) are dropped.
        if (state_ == State::Idle || id != id_) continue;
        switch (type) {
            case kAbortRequest:
                if (state_ == State::Handling) break;  // the answer is on its way anyway
                append_end_request(control, id_, kRequestComplete);
                state_ = State::Idle;
                break;
            case kParams:
                if (state_ != State::Params) {
                    step.event = Event::Close;
                    step.reason = "PARAMS after the parameters ended";
                    return step;
                }
                if (length == 0) {
                    Step ended = end_params(request);
                    if (ended.event != Event::NeedMore) {
                        ended.consumed = step.consumed;
                        return ended;
                    }
                    break;
                }
                if (params_.size() + length > limits_.max_header_bytes + kCgiVariablesRoom) {
                    state_ = State::Handling;
                    step.event = Event::Error;
                    step.status = 431;
                    step.reason = "request header too large";
                    return step;
                }
                params_.append(content);
                break;
            case kStdin:
                if (state_ != State::Stdin) {
                    step.event = Event::Close;
                    step.reason = "STDIN before the parameters ended";
                    return step;
                }
                if (length == 0) {
                    if (has_length_ && request.body_storage.size() != content_length_) {
                        state_ = State::Handling;
                        step.event = Event::Error;
                        step.status = 400;
                        step.reason = "request body shorter than CONTENT_LENGTH";
                        return step;
                    }
                    request.body = request.body_storage;
                    state_ = State::Handling;
                    step.event = Event::Request;
                    return step;
                }
                if (request.body_storage.size() + length >
                    (has_length_ ? content_length_ : limits_.max_body_bytes)) {
                    state_ = State::Handling;
                    step.event = Event::Error;
                    step.status = has_length_ ? 400 : 413;
                    step.reason = has_length_ ? "request body longer than CONTENT_LENGTH"
                                              : "request body too large";
                    return step;
                }
                request.body_storage.append(content);
                break;
            default:
                break;  // DATA (the filter role's) and unknown types: not ours
        }
    }
    return step;
}

Responder::Step Responder::begin(std::uint16_t id, std::string_view content, std::string& control) {
    Step step;
    if (content.size() < 8) {
        step.event = Event::Close;
        step.reason = "short BEGIN_REQUEST";
        return step;
    }
    auto role = std::uint16_t((static_cast<unsigned char>(content[0]) << 8) |
                              static_cast<unsigned char>(content[1]));
    if (state_ != State::Idle) {
        append_end_request(control, id, kCantMpxConn);
    } else if (role != kRoleResponder) {
        append_end_request(control, id, kUnknownRole);
    } else {
        id_ = id;
        keep_conn_ = (static_cast<unsigned char>(content[2]) & kFlagKeepConn) != 0;
        state_ = State::Params;
        params_.clear();
    }
    return step;
}

// The parameters are complete: build the HTTP head they stand for and parse
// it as any request head, so a FastCGI request meets exactly the HTTP rules.
Responder::Step Responder::end_params(Request& request) {
    Step step;
    auto fail = [&](int status, std::string_view reason) {
        state_ = State::Handling;
        step.event = Event::Error;
        step.status = status;
        step.reason = reason;
        return step;
    };
    std::string_view method, uri, protocol, remote, server_name, content_type, content_length;
    std::string_view script, path_info, query_string, https;
    bool has_host = false;
    size_t headers_size = 0;
    bool ok = for_each_pair(params_, [&](std::string_view name, std::string_view value) {
        if (name.starts_with("HTTP_")) {
            has_host = has_host || name == "HTTP_HOST";
            headers_size += name.size() + value.size() + 4;
        } else if (name == "REQUEST_METHOD") {
            method = value;
        } else if (name == "REQUEST_URI") {
            uri = value;
        } else if (name == "SERVER_PROTOCOL") {
            protocol = value;
        } else if (name == "REMOTE_ADDR") {
            remote = value;
        } else if (name == "SERVER_NAME") {
            server_name = value;
        } else if (name == "CONTENT_TYPE") {
            content_type = value;
        } else if (name == "CONTENT_LENGTH") {
            content_length = value;
        } else if (name == "SCRIPT_NAME") {
            script = value;
        } else if (name == "PATH_INFO") {
            path_info = value;
        } else if (name == "QUERY_STRING") {
            query_string = value;
        } else if (name == "HTTPS") {
            https = value;
        }
        return true;
    });
    if (!ok) return fail(400, "malformed FastCGI parameters");
    if (method.empty()) return fail(400, "missing REQUEST_METHOD");

    head_.clear();
    head_.reserve(method.size() + uri.size() + script.size() + path_info.size() +
                  query_string.size() + headers_size + server_name.size() + content_type.size() +
                  content_length.size() + remote.size() + 96);
    head_.append(method);
    head_ += ' ';
    if (!uri.empty()) {
        head_.append(uri);
    } else {  // a web server that sends no REQUEST_URI: rebuild it the CGI way
        head_.append(script);
        head_.append(path_info);
        if (!query_string.empty()) {
            head_ += '?';
            head_.append(query_string);
        }
    }
    const bool http10 = protocol == "HTTP/1.0";
    head_.append(http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
    for_each_pair(params_, [&](std::string_view name, std::string_view value) {
        if (!name.starts_with("HTTP_")) return true;
        name.remove_prefix(5);
        // The body's framing is FastCGI's (STDIN records, CONTENT_LENGTH).
        if (name == "CONTENT_LENGTH" || name == "TRANSFER_ENCODING" || name == "CONTENT_TYPE")
            return true;
        append_header_name(head_, name);
        head_.append(": ");
        head_.append(value);
        head_.append("\r\n");
        return true;
    });
    if (!has_host && !http10 && !server_name.empty()) {
        head_.append("Host: ");
        head_.append(server_name);
        head_.append("\r\n");
    }
    if (!content_type.empty()) {
        head_.append("Content-Type: ");
        head_.append(content_type);
        head_.append("\r\n");
    }
    if (!content_length.empty()) {
        head_.append("Content-Length: ");
        head_.append(content_length);
        head_.append("\r\n");
    }
    head_.append("\r\n");
    const size_t head_size = head_.size();
    head_.append(remote);

    request.reset();
    size_t scan_from = 0;
    HeadResult head =
        parse_head(std::string_view(head_.data(), head_size), limits_, request, scan_from);
    if (head.status != ParseStatus::Complete)
        return fail(head.status == ParseStatus::Error ? head.error.status : 400,
                    head.status == ParseStatus::Error ? head.error.reason
                                                      : std::string_view("malformed head"));
    if (!remote.empty()) {
        request.peer_address = std::string_view(head_).substr(head_size);
        request.client_address = request.peer_address;
    }
    request.secure = strings::iequals(https, "on");
    has_length_ = !content_length.empty();
    content_length_ = has_length_ ? head.framing.length : 0;
    state_ = State::Stdin;
    return step;
}

bool append_response(std::string& out, std::uint16_t id, const Request& request,
                     const Response& response) {
    const int status = response.status;
    const bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
    const bool head_only = request.method == Method::Head || no_body;
    const std::uint64_t body_size = response.body_size();

    std::string head = "Status: ";
    append_decimal(head, std::uint64_t(status));
    head += ' ';
    head.append(reason_phrase(status));
    if (!no_body) {
        head.append("\r\nContent-Length: ");
        append_decimal(head, body_size);
    }
    for (size_t i = 0; i < response.header_count(); ++i) {
        const auto& [name, value] = response.header_at(i);
        head.append("\r\n");
        head.append(name);
        head.append(": ");
        head.append(value);
    }
    head.append("\r\n\r\n");
    append_stream(out, kStdout, id, head);

    bool whole = true;
    if (!head_only && body_size > 0) {
        if (response.file_body) {
            const FileBody& file = *response.file_body;
            std::string chunk;
            std::uint64_t done = 0;
            while (done < file.length) {
                chunk.resize(size_t(std::min<std::uint64_t>(file.length - done, kFileChunk)));
                ssize_t n =
                    ::pread(file.file->fd(), chunk.data(), chunk.size(), off_t(file.offset + done));
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) {  // the file shrank under us: the answer is broken
                    whole = false;
                    break;
                }
                append_record(out, kStdout, id, std::string_view(chunk.data(), size_t(n)));
                done += std::uint64_t(n);
            }
        } else {
            append_stream(out, kStdout, id,
                          response.shared_body ? std::string_view(*response.shared_body)
                                               : std::string_view(response.body));
        }
    }
    append_record(out, kStdout, id, {});
    append_end_request(out, id, kRequestComplete);
    return whole;
}

}  // namespace famigo::http::fastcgi
