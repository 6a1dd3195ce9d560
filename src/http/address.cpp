#include "http/address.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace famigo::http {
namespace {

// inet_pton wants a NUL-terminated string; the longest textual IPv6 address
// (with an embedded IPv4 part) is 45 characters.
constexpr size_t kMaxAddressText = 46;

}  // namespace

bool is_port(std::string_view text) {
    if (text.empty() || text.size() > 5) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return strings::parse_u64(text).value_or(70000) <= 65535;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
    if (text.empty() || text.size() >= kMaxAddressText) return std::nullopt;
    char buffer[kMaxAddressText];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    IpAddress address;
    if (text.find(':') == std::string_view::npos) {
        std::uint8_t v4[4];
        if (::inet_pton(AF_INET, buffer, v4) != 1) return std::nullopt;
        address.bytes[10] = address.bytes[11] = 0xff;
        std::memcpy(address.bytes.data() + 12, v4, 4);
        return address;
    }
    if (::inet_pton(AF_INET6, buffer, address.bytes.data()) != 1) return std::nullopt;
    return address;
}

std::string_view address_without_port(std::string_view text) {
    if (!text.empty() && text.front() == '[') {
        size_t close = text.find(']');
        if (close == std::string_view::npos) return {};
        std::string_view rest = text.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !is_port(rest.substr(1)))) return {};
        std::string_view inner = text.substr(1, close - 1);
        return inner.find(':') != std::string_view::npos && parse_ip(inner) ? inner
                                                                            : std::string_view();
    }
    size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
        // One colon: IPv4 with a port (a bare IPv6 address has at least two).
        if (!is_port(text.substr(colon + 1))) return {};
        text = text.substr(0, colon);
        if (text.find(':') != std::string_view::npos) return {};
    }
    return parse_ip(text) ? text : std::string_view();
}

bool IpNetwork::contains(const IpAddress& address) const {
    unsigned full = prefix / 8;
    if (std::memcmp(base.bytes.data(), address.bytes.data(), full) != 0) return false;
    unsigned rest = prefix % 8;
    if (rest == 0) return true;
    std::uint8_t mask = std::uint8_t(0xff << (8 - rest));
    return (base.bytes[full] & mask) == (address.bytes[full] & mask);
}

std::optional<IpNetwork> parse_network(std::string_view text) {
    text = strings::trim(text);
    size_t slash = text.find('/');
    auto address = parse_ip(text.substr(0, slash));
    if (!address) return std::nullopt;
    bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
    IpNetwork network{*address, 128};
    if (slash != std::string_view::npos) {
        auto bits = strings::parse_u64(text.substr(slash + 1));
        if (!bits || *bits > (v4 ? 32u : 128u)) return std::nullopt;
        network.prefix = unsigned(*bits) + (v4 ? 96 : 0);
    }
    return network;
}

std::vector<IpNetwork> parse_networks(const std::vector<std::string>& entries,
                                      std::string_view key) {
    std::vector<IpNetwork> networks;
    for (const auto& entry : entries) {
        auto network = parse_network(entry);
        if (!network)
            throw ConfigError("config key '" + std::string(key) + "': '" + entry +
                              "' is not an IP address or network (like 10.0.0.0/8)");
        networks.push_back(*network);
    }
    return networks;
}

bool in_networks(std::string_view address, const std::vector<IpNetwork>& networks) {
    auto parsed = parse_ip(address);
    if (!parsed) return false;
    for (const auto& network : networks)
        if (network.contains(*parsed)) return true;
    return false;
}

}  // namespace famigo::http
