// Who may read /metrics: clients from allowed networks, or any client with the
// configured bearer token. The metrics name routes, counts and internals an
// outsider has no business seeing. The client is the request's client address
// (the peer, or the X-Forwarded-For client a trusted proxy reports), so a
// public request relayed by a trusted proxy is not let in by the proxy's address.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"
#include "http/address.hpp"
#include "http/request.hpp"

namespace famigo::ops {

struct MetricsAccess {
    std::vector<http::IpNetwork> networks;
    std::string bearer_token;  // "" when none is configured

    bool allows(const http::Request& request) const;
};

// metrics.allowed_networks and metrics.bearer_token.
void define_metrics_config(config::Schema& schema);
// The word "trusted_proxies" in metrics.allowed_networks stands for the
// entries of http.trusted_proxies. Throws ConfigError for a malformed entry.
MetricsAccess metrics_access(const config::Config& config);

}  // namespace famigo::ops
