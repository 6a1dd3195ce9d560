// The request-path middleware every deployment runs: request ids, trusted-proxy
// headers, Host validation with canonical/old-domain redirects, and the JSON-lines
// access log. Each is small and stateless per request (thread-safe).
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/address.hpp"
#include "http/middleware.hpp"
#include "http/server_config.hpp"

namespace famigo::http {

// Gives each request an id (X-Request-Id), taken from a trusted proxy when it
// sent a well-formed one, else made here: a per-process random prefix and a counter.
class RequestIdMiddleware : public Middleware {
  public:
    explicit RequestIdMiddleware(std::vector<std::string> trusted_proxies);
    bool runs_inline(const Request&) const override { return true; }
    bool before(Request& request, Response& response) override;
    void after(Request& request, Response& response) override;

  private:
    void assign(Request& request);

    std::vector<IpNetwork> trusted_;
    std::uint32_t prefix_;
    std::atomic<std::uint64_t> counter_{0};
};

// Believes X-Forwarded-For / X-Forwarded-Proto only from configured proxy
// addresses (single addresses or networks). The client is the rightmost
// X-Forwarded-For entry that is not a trusted proxy; entries are parsed strictly
// as IPv4 or IPv6, with any port dropped. A header with an entry that does not
// parse is not believed at all: the client stays the peer address.
class ProxyMiddleware : public Middleware {
  public:
    // Throws ConfigError for an entry that is not an address or network.
    explicit ProxyMiddleware(const std::vector<std::string>& trusted_proxies);
    bool runs_inline(const Request&) const override { return true; }
    bool before(Request& request, Response& response) override;

  private:
    std::vector<IpNetwork> trusted_;
};

// 301 from old domains to the canonical host; 400 for a Host not allowed.
class HostMiddleware : public Middleware {
  public:
    HostMiddleware(std::vector<std::string> allowed_hosts, std::string canonical_host,
                   std::vector<std::string> redirect_hosts);
    bool runs_inline(const Request&) const override { return true; }
    bool before(Request& request, Response& response) override;

  private:
    std::vector<std::string> allowed_;
    std::string canonical_;
    std::vector<std::string> redirect_;
};

// One JSON object per answered request, buffered and flushed by a background
// thread (every 200 ms, or sooner when the buffer grows), so logging does not
// put a write(2) on every request.
class AccessLogMiddleware : public Middleware {
  public:
    // destination: "-" for stdout or a file path (opened for append).
    explicit AccessLogMiddleware(const std::string& destination);
    ~AccessLogMiddleware() override;
    bool runs_inline(const Request&) const override { return true; }  // no before()
    void after(Request& request, Response& response) override;
    void flush();

  private:
    void run_flusher();

    std::FILE* file_;
    bool owns_file_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::string buffer_;
    bool stopping_ = false;
    std::thread flusher_;
};

// Room for the longest DNS name (253) and then some.
using HostBuffer = std::array<char, 256>;
// The Host header's host, without port, lower-cased, trailing dot dropped; IPv6
// literals keep their brackets. Written into `buffer` (no allocation: this runs
// on every request); empty when malformed.
std::string_view normalize_host(std::string_view host_header, HostBuffer& buffer);
// "*", ".example.com" (the domain and its subdomains) or an exact host.
bool host_matches(std::string_view host, const std::vector<std::string>& patterns);
// The client address X-Forwarded-For names, given the proxies we trust: a view
// into `forwarded`, or empty when an entry is malformed (then nothing in the
// header is believed).
std::string_view forwarded_client(std::string_view forwarded,
                                  const std::vector<IpNetwork>& trusted);

}  // namespace famigo::http
