// IP addresses and networks as the request path needs them: strict parsing of
// an address that may carry a port (X-Forwarded-For entries, peer addresses)
// and CIDR networks for allow-lists (trusted proxies, /metrics). Parsing needs
// no allocation, so it can run on every request. IPv4 addresses are held as
// IPv4-mapped IPv6, so "::ffff:10.0.0.1" and "10.0.0.1" are the same address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::http {

struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool operator==(const IpAddress&) const = default;
};

// A decimal port number, 0 to 65535.
bool is_port(std::string_view text);

// "192.0.2.1" or "2001:db8::1" (no brackets, no port, no zone); nullopt otherwise.
std::optional<IpAddress> parse_ip(std::string_view text);

// The address part of "192.0.2.1", "192.0.2.1:8080", "2001:db8::1", "[2001:db8::1]"
// or "[2001:db8::1]:8080", as a view into `text`; empty when `text` is not one
// of those forms (a name, garbage, a bad port).
std::string_view address_without_port(std::string_view text);

struct IpNetwork {
    IpAddress base;
    unsigned prefix = 128;  // in bits of the 128-bit (mapped) form
    bool contains(const IpAddress& address) const;
};

// "10.0.0.0/8", "2001:db8::/32", or a single address; nullopt when malformed.
std::optional<IpNetwork> parse_network(std::string_view text);

// A list of networks from configuration; throws ConfigError naming `key` on the
// first entry that does not parse.
std::vector<IpNetwork> parse_networks(const std::vector<std::string>& entries,
                                      std::string_view key);

bool in_networks(std::string_view address, const std::vector<IpNetwork>& networks);

}  // namespace famigo::http
