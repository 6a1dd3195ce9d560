#include <unistd.h>

#include "core/strings.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::http {

std::string_view method_name(Method method) {
    switch (method) {
        case Method::Get:
            return "GET";
        case Method::Head:
            return "HEAD";
        case Method::Post:
            return "POST";
        case Method::Put:
            return "PUT";
        case Method::Delete:
            return "DELETE";
        case Method::Patch:
            return "PATCH";
        case Method::Options:
            return "OPTIONS";
        case Method::Other:
            return "OTHER";
    }
    return "OTHER";
}

void RouteParams::add(std::string_view name, std::string_view value) {
    if (count_ == kMax) return;  // routes are declared by us; the router checks the count
    items_[count_].first = name;
    items_[count_].second.assign(value);
    ++count_;
}

std::optional<std::string_view> RouteParams::get(std::string_view name) const {
    for (size_t i = 0; i < count_; ++i)
        if (items_[i].first == name) return std::string_view(items_[i].second);
    return std::nullopt;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (size_t i = 0; i < field_count_; ++i)
        if (strings::iequals(fields_[i].name, name)) return fields_[i].value;
    return std::nullopt;
}

bool Request::add_header(std::string_view name, std::string_view value) {
    if (field_count_ == kMaxHeaderFields) return false;
    fields_[field_count_++] = {name, value};
    return true;
}

void Request::reset() {
    method = Method::Other;
    method_text = target = path = query = body = {};
    minor_version = 1;
    keep_alive = true;
    client_address = peer_address;
    secure = false;
    request_id = {};
    route = nullptr;
    middleware_entered = 0;
    extension.reset();
    params.clear();
    body_storage.clear();
    field_count_ = 0;
    host_ = {};
}

OpenFile::~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
}

void Response::set_header(std::string_view name, std::string_view value) {
    remove_header(name);
    add_header(name, value);
}

void Response::add_header(std::string_view name, std::string_view value) {
    if (header_count_ == headers_.size()) headers_.emplace_back();
    auto& slot = headers_[header_count_++];
    slot.first.assign(name);
    slot.second.assign(value);
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (size_t i = 0; i < header_count_; ++i)
        if (strings::iequals(headers_[i].first, name)) return std::string_view(headers_[i].second);
    return std::nullopt;
}

void Response::remove_header(std::string_view name) {
    size_t kept = 0;
    for (size_t i = 0; i < header_count_; ++i) {
        if (strings::iequals(headers_[i].first, name)) continue;
        if (kept != i) std::swap(headers_[kept], headers_[i]);
        ++kept;
    }
    header_count_ = kept;
}

std::uint64_t Response::body_size() const {
    if (file_body) return file_body->length;
    if (shared_body) return shared_body->size();
    return body.size();
}

void Response::text(int status_code, std::string_view content, std::string_view content_type) {
    status = status_code;
    set_header("Content-Type", content_type);
    shared_body.reset();
    file_body.reset();
    body.assign(content);
}

void Response::reset() {
    status = 200;
    body.clear();
    shared_body.reset();
    file_body.reset();
    close_connection = false;
    header_count_ = 0;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 206:
            return "Partial Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 411:
            return "Length Required";
        case 412:
            return "Precondition Failed";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 416:
            return "Range Not Satisfiable";
        case 417:
            return "Expectation Failed";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Unknown";
    }
}

}  // namespace famigo::http
