#include "cache/cache_url.hpp"

#include "core/error.hpp"
#include "core/strings.hpp"

namespace famigo::cache {
namespace {

constexpr std::uint16_t kMemcachedPort = 11211;

[[noreturn]] void fail(std::string_view url, const std::string& why) {
    throw ConfigError("cache URL '" + std::string(url) + "': " + why);
}

CacheUrl::Host parse_host(std::string_view url, std::string_view text) {
    CacheUrl::Host host{std::string(), kMemcachedPort};
    std::string_view port_text;
    if (text.starts_with('[')) {  // [::1]:11211
        auto close = text.find(']');
        if (close == std::string_view::npos) fail(url, "unclosed '[' in host");
        host.name = std::string(text.substr(1, close - 1));
        auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') fail(url, "expected ':' after ']'");
            port_text = rest.substr(1);
        }
    } else {
        auto colon = text.rfind(':');
        host.name = std::string(text.substr(0, colon));
        if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
    }
    if (host.name.empty()) fail(url, "empty host name");
    if (!port_text.empty() || text.ends_with(':')) {
        auto port = strings::parse_u64(port_text);
        if (!port || *port == 0 || *port > 65535)
            fail(url, "bad port '" + std::string(port_text) + "'");
        host.port = std::uint16_t(*port);
    }
    return host;
}

}  // namespace

CacheUrl parse_cache_url(std::string_view url) {
    CacheUrl out;
    auto sep = url.find("://");
    if (sep == std::string_view::npos) fail(url, "expected scheme://...");
    out.scheme = strings::to_lower(url.substr(0, sep));
    std::string_view rest = url.substr(sep + 3);
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    if (rest.ends_with('/')) rest.remove_suffix(1);
    if (!rest.empty())
        for (auto part : strings::split(rest, ','))
            out.hosts.push_back(parse_host(url, strings::trim(part)));
    if (!query.empty()) {
        for (auto pair : strings::split(query, '&')) {
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0)
                fail(url, "query parameter '" + std::string(pair) + "' is not name=value");
            out.params.emplace(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
        }
    }
    return out;
}

}  // namespace famigo::cache
