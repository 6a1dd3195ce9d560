#include "http/server_config.hpp"

#include <thread>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "http/address.hpp"

namespace famigo::http {
namespace {

std::optional<std::string> valid_listen(const config::Value& value) {
    try {
        std::string host;
        std::uint16_t port;
        parse_listen(std::get<std::string>(value), "", host, port);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return std::nullopt;
}

std::optional<std::string> valid_networks(const config::Value& value) {
    for (const auto& entry : std::get<std::vector<std::string>>(value))
        if (!parse_network(entry))
            return "'" + entry + "' is not an IP address or network (like 10.0.0.0/8)";
    return std::nullopt;
}

std::optional<std::string> valid_protocol(const config::Value& value) {
    const auto& text = std::get<std::string>(value);
    if (text == "http" || text == "fastcgi") return std::nullopt;
    return "'" + text + "' is not a protocol: use 'http' or 'fastcgi'";
}

unsigned as_unsigned(const config::Config& config, const char* key) {
    return unsigned(std::min<std::int64_t>(config.integer(key), UINT32_MAX));
}

}  // namespace

void parse_listen(const std::string& text, const std::string& origin, std::string& host,
                  std::uint16_t& port) {
    size_t colon = text.rfind(':');
    auto bad = [&](const std::string& why) {
        throw ConfigError("listen address '" + text + "'" +
                          (origin.empty() ? "" : " (from " + origin + ")") + ": " + why);
    };
    if (colon == std::string::npos) bad("expected HOST:PORT");
    host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    auto number = strings::parse_u64(text.substr(colon + 1));
    if (!number || *number > 65535) bad("port must be a number from 0 to 65535");
    port = std::uint16_t(*number);
}

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"server.listen", Kind::String, "127.0.0.1:8000",
              "address and port to listen on, HOST:PORT ([::1]:PORT for IPv6)", valid_listen})
        .add({"server.protocol", Kind::String, "http",
              "what server.listen speaks: 'http' (clients or a load balancer) or 'fastcgi' (a "
              "web server such as lighttpd in front, FastCGI responder role)",
              valid_protocol})
        .add({"server.io_threads", Kind::Integer, "0",
              "I/O threads, each with its own event loop; 0 means one per core",
              config::not_negative})
        .add({"server.workers", Kind::Integer, "16",
              "threads of the pool that runs views which may block", config::positive})
        .add({"server.queue_limit", Kind::Integer, "1024",
              "requests waiting for a pool thread before new ones get 503", config::positive})
        .add({"server.max_connections", Kind::Integer, "10000",
              "open connections before new ones get 503 and are closed; lowered at start "
              "(with a warning) to fit the process's open-file limit",
              config::positive})
        .add({"server.reuse_port",
              Kind::Boolean,
              "false",
              "let this server bind a port another famigo server already listens on, both "
              "sharing new connections (SO_REUSEPORT), for a binary swap; when false, an "
              "address in use is a start-up error",
              {}})
        .add({"server.max_request_line", Kind::Size, "8KiB",
              "longest request line; longer gets 414", config::positive})
        .add({"server.max_header_bytes", Kind::Size, "32KiB",
              "largest request head; larger gets 431", config::positive})
        .add({"server.max_header_field", Kind::Size, "8KiB",
              "largest single header field line (name and value); larger gets 431",
              config::positive})
        .add({"server.max_body_bytes", Kind::Size, "10MiB",
              "largest request body; larger gets 413 before it is read", config::not_negative})
        .add({"server.header_timeout", Kind::DurationMs, "10s",
              "time a client has to send a whole request head; slower gets 408", config::positive})
        .add({"server.body_timeout", Kind::DurationMs, "30s",
              "time a client has to send a request body; slower gets 408", config::positive})
        .add({"server.keepalive_timeout", Kind::DurationMs, "75s",
              "how long an idle keep-alive connection stays open", config::positive})
        .add({"server.drain_grace", Kind::DurationMs, "5s",
              "on SIGTERM, how long the listener stays open (with /readyz at 503) so a "
              "load balancer notices",
              config::not_negative})
        .add({"server.drain_timeout", Kind::DurationMs, "30s",
              "after the grace period, how long in-flight requests may take to finish",
              config::not_negative})
        .add({"http.allowed_hosts",
              Kind::StringList,
              "localhost,127.0.0.1,[::1]",
              "Host header values accepted (port ignored); '*' any, '.example.com' a domain and "
              "its subdomains; others get 400",
              {}})
        .add({"http.trusted_proxies", Kind::StringList, "",
              "peer addresses or networks (10.0.0.0/8) whose X-Forwarded-For and "
              "X-Forwarded-Proto are believed",
              valid_networks})
        .add({"http.canonical_host",
              Kind::String,
              "",
              "when set, requests for redirect_hosts get 301 to this host, path and query kept",
              {}})
        .add({"http.redirect_hosts",
              Kind::StringList,
              "",
              "old domains (e.g. famigogames.com) redirected to canonical_host",
              {}})
        .add({"http.access_log",
              Kind::String,
              "-",
              "JSON-lines access log: '-' for stdout, '' for none, or a file path",
              {}});
}

ServerOptions server_options(const config::Config& config) {
    ServerOptions options;
    parse_listen(config.str("server.listen"), config.origin("server.listen"), options.host,
                 options.port);
    options.io_threads = as_unsigned(config, "server.io_threads");
    if (options.io_threads == 0)
        options.io_threads = std::max(1u, std::thread::hardware_concurrency());
    options.workers = as_unsigned(config, "server.workers");
    options.queue_limit = as_unsigned(config, "server.queue_limit");
    options.max_connections = as_unsigned(config, "server.max_connections");
    options.limits.max_request_line = size_t(config.integer("server.max_request_line"));
    options.limits.max_header_bytes = size_t(config.integer("server.max_header_bytes"));
    options.limits.max_header_field = size_t(config.integer("server.max_header_field"));
    options.limits.max_body_bytes = std::uint64_t(config.integer("server.max_body_bytes"));
    options.reuse_port = config.boolean("server.reuse_port");
    options.fastcgi = config.str("server.protocol") == "fastcgi";
    options.header_timeout_ms = as_unsigned(config, "server.header_timeout");
    options.body_timeout_ms = as_unsigned(config, "server.body_timeout");
    options.keepalive_timeout_ms = as_unsigned(config, "server.keepalive_timeout");
    options.drain_grace_ms = as_unsigned(config, "server.drain_grace");
    options.drain_timeout_ms = as_unsigned(config, "server.drain_timeout");
    return options;
}

HttpOptions http_options(const config::Config& config) {
    HttpOptions options;
    options.allowed_hosts = config.list("http.allowed_hosts");
    options.trusted_proxies = config.list("http.trusted_proxies");
    options.canonical_host = config.str("http.canonical_host");
    options.redirect_hosts = config.list("http.redirect_hosts");
    options.access_log = config.str("http.access_log");
    if (!options.redirect_hosts.empty() && options.canonical_host.empty())
        throw ConfigError("config key 'http.redirect_hosts' (from " +
                          config.origin("http.redirect_hosts") +
                          "): needs http.canonical_host to redirect to");
    return options;
}

}  // namespace famigo::http
