// An HTTP request as the server hands it to middleware and views. The parser
// fills it with views into the connection's read buffer (no copies on the hot
// path); those views stay valid until the response has been produced.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace famigo::http {

enum class Method : std::uint8_t { Get, Head, Post, Put, Delete, Patch, Options, Other };

std::string_view method_name(Method method);

struct HeaderField {
    std::string_view name;
    std::string_view value;
};

struct Route;

// Path parameters captured by the router, already percent-decoded.
class RouteParams {
  public:
    void clear() { count_ = 0; }
    void add(std::string_view name, std::string_view value);
    std::optional<std::string_view> get(std::string_view name) const;
    size_t size() const { return count_; }

  private:
    static constexpr size_t kMax = 8;
    std::array<std::pair<std::string_view, std::string>, kMax> items_;
    size_t count_ = 0;
};

class Request {
  public:
    static constexpr size_t kMaxHeaderFields = 100;

    // From the request line.
    Method method = Method::Other;
    std::string_view method_text;
    std::string_view target;  // as sent: path and query
    std::string_view path;    // raw (still percent-encoded) path
    std::string_view query;   // after '?', without it; empty if none
    int minor_version = 1;    // HTTP/1.<minor_version>

    std::string_view body;
    bool keep_alive = true;

    // Filled by the server and middleware.
    std::string_view peer_address;    // the TCP peer
    std::string_view client_address;  // peer, or X-Forwarded-For's client from a trusted proxy
    bool secure = false;              // https, as told by a trusted proxy
    std::string_view request_id;
    const Route* route = nullptr;  // the matched route, or nullptr
    RouteParams params;
    std::chrono::steady_clock::time_point started;
    // How many middlewares' before() already ran (on the I/O thread, see App).
    size_t middleware_entered = 0;
    // One slot for per-request state of a layer above http (web/auth keeps the
    // session and the user there), so it dies with the request; reset() empties
    // it. Mutable: that state is filled lazily, also through const Requests
    // (context processors). Only the thread handling the request touches it.
    mutable std::shared_ptr<void> extension;

    // Header access. Names compare case-insensitively.
    std::optional<std::string_view> header(std::string_view name) const;
    const HeaderField* headers_begin() const { return fields_.data(); }
    const HeaderField* headers_end() const { return fields_.data() + field_count_; }
    size_t header_count() const { return field_count_; }
    std::string_view host() const { return host_; }

    // For the parser and tests.
    bool add_header(std::string_view name, std::string_view value);
    void set_host(std::string_view host) { host_ = host; }
    void reset();

    // Buffers whose lifetime is the request's: a de-chunked body, a request id.
    std::string body_storage;
    std::array<char, 24> request_id_storage{};

  private:
    std::array<HeaderField, kMaxHeaderFields> fields_{};
    size_t field_count_ = 0;
    std::string_view host_;
};

}  // namespace famigo::http
