// Configuration of the HTTP server and the request-path middleware: every key
// under [server] and [http], with defaults that are safe on a public network.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "http/parser.hpp"

namespace famigo::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8000;
    unsigned io_threads = 1;
    unsigned workers = 16;
    unsigned queue_limit = 1024;
    unsigned max_connections = 10000;  // lowered at start to fit the open-file limit
    bool reuse_port = false;           // share the port with another process (binary swap)
    bool fastcgi = false;              // speak FastCGI to a web server instead of HTTP
    ParserLimits limits;
    unsigned header_timeout_ms = 10000;
    unsigned body_timeout_ms = 30000;
    unsigned keepalive_timeout_ms = 75000;
    unsigned drain_grace_ms = 5000;
    unsigned drain_timeout_ms = 30000;
};

struct HttpOptions {
    std::vector<std::string>
        allowed_hosts;  // "*" allows any; ".example.com" a domain and its subdomains
    std::vector<std::string> trusted_proxies;  // peer addresses whose X-Forwarded-* are believed
    std::string canonical_host;                // "" disables canonical redirects
    std::vector<std::string> redirect_hosts;   // old domains sent to canonical_host with 301
    std::string access_log;                    // "-" stdout, "" off, or a file path
};

void define_config(config::Schema& schema);
ServerOptions server_options(const config::Config& config);
HttpOptions http_options(const config::Config& config);

// "host:port", "[v6]:port" or ":port"; throws ConfigError naming the key's origin.
void parse_listen(const std::string& text, const std::string& origin, std::string& host,
                  std::uint16_t& port);

}  // namespace famigo::http
