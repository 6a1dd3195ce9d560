// Liveness, readiness and metrics endpoints. /healthz says the process is alive
// (answered on the I/O thread, nothing else consulted). /readyz says whether this
// instance should get traffic: 503 while draining or while a probe (store, cache,
// search, broker...) reports its dependency down. /metrics renders the registry
// for the clients MetricsAccess allows, and answers others 403 (401 when a
// bearer token would let them in).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "ops/metrics_access.hpp"

namespace famigo::ops {

class Registry;

class Health {
  public:
    // A probe returns a problem description, or nullopt when its dependency is fine.
    using Probe = std::function<std::optional<std::string>()>;

    void add_probe(std::string name, Probe probe);
    // A line /readyz shows ("name: text") that never makes it fail: a
    // dependency only some pages use (site search) is reported, not probed.
    void add_info(std::string name, std::function<std::string()> info);
    void set_draining(std::function<bool()> draining) { draining_ = std::move(draining); }

    // Adds the routes "healthz", "readyz" and "metrics".
    void install(http::Router& router, const Registry& registry, MetricsAccess access);

    // Runs the probes; empty when ready.
    std::vector<std::string> problems() const;

  private:
    std::vector<std::pair<std::string, Probe>> probes_;
    std::vector<std::pair<std::string, std::function<std::string()>>> infos_;
    std::function<bool()> draining_;
    MetricsAccess metrics_access_;
};

}  // namespace famigo::ops
