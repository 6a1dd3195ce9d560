#include "ops/metrics_access.hpp"

#include "core/strings.hpp"

namespace famigo::ops {
namespace {

// Every byte is compared whatever differs, so the time taken does not tell an
// attacker how much of a guess was right.
bool same_secret(std::string_view given, std::string_view expected) {
    if (given.size() != expected.size()) return false;
    unsigned char difference = 0;
    for (size_t i = 0; i < given.size(); ++i)
        difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return difference == 0;
}

bool is_trusted_proxies_word(std::string_view entry) {
    return strings::trim(entry) == "trusted_proxies";
}

std::optional<std::string> valid_allowed_networks(const config::Value& value) {
    for (const auto& entry : std::get<std::vector<std::string>>(value))
        if (!is_trusted_proxies_word(entry) && !http::parse_network(entry))
            return "'" + entry +
                   "' is not an IP address, a network (like 10.0.0.0/8) or "
                   "trusted_proxies";
    return std::nullopt;
}

}  // namespace

bool MetricsAccess::allows(const http::Request& request) const {
    if (http::in_networks(request.client_address, networks)) return true;
    if (bearer_token.empty()) return false;
    auto authorization = request.header("Authorization");
    if (!authorization || authorization->size() < 7 ||
        !strings::iequals(authorization->substr(0, 7), "bearer "))
        return false;
    return same_secret(strings::trim(authorization->substr(7)), bearer_token);
}

void define_metrics_config(config::Schema& schema) {
    schema
        .add({"metrics.allowed_networks", config::Kind::StringList,
              "127.0.0.0/8,::1,trusted_proxies",
              "clients (addresses or networks like 10.0.0.0/8) that may read /metrics; the word "
              "trusted_proxies stands for http.trusted_proxies; others get 403 (or 401 when a "
              "bearer token is set)",
              valid_allowed_networks})
        .add({"metrics.bearer_token",
              config::Kind::String,
              "",
              "when set, any client sending 'Authorization: Bearer <token>' may read /metrics; "
              "best given in the environment (FAMIGO_METRICS__BEARER_TOKEN), not a file",
              {},
              true});
}

MetricsAccess metrics_access(const config::Config& config) {
    std::vector<std::string> entries;
    for (const auto& entry : config.list("metrics.allowed_networks")) {
        if (is_trusted_proxies_word(entry)) {
            const auto& proxies = config.list("http.trusted_proxies");
            entries.insert(entries.end(), proxies.begin(), proxies.end());
        } else {
            entries.push_back(entry);
        }
    }
    return {http::parse_networks(entries, "metrics.allowed_networks"),
            config.str("metrics.bearer_token")};
}

}  // namespace famigo::ops
