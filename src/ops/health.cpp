#include "ops/health.hpp"

#include <exception>

#include "ops/metrics.hpp"

namespace famigo::ops {

void Health::add_info(std::string name, std::function<std::string()> info) {
    infos_.emplace_back(std::move(name), std::move(info));
}

void Health::add_probe(std::string name, Probe probe) {
    probes_.emplace_back(std::move(name), std::move(probe));
}

std::vector<std::string> Health::problems() const {
    std::vector<std::string> out;
    if (draining_ && draining_()) out.push_back("draining");
    for (const auto& [name, probe] : probes_) {
        try {
            if (auto problem = probe()) out.push_back(name + ": " + *problem);
        } catch (const std::exception& e) {
            out.push_back(name + ": " + e.what());
        }
    }
    return out;
}

void Health::install(http::Router& router, const Registry& registry, MetricsAccess access) {
    metrics_access_ = std::move(access);
    router.add(
        "healthz", "/healthz",
        [](http::Request&, http::Response& response) {
            response.text(200, "ok\n");
            response.set_header("Cache-Control", "no-store");
        },
        http::Execution::Inline);

    // Probes may block on a remote dependency, so readiness runs on the pool.
    router.add(
        "readyz", "/readyz",
        [this](http::Request&, http::Response& response) {
            auto found = problems();
            std::string info;
            for (const auto& [name, line] : infos_) {
                std::string text;
                try {
                    text = line();
                } catch (const std::exception& e) {
                    text = std::string("error: ") + e.what();
                }
                info += name + ": " + text + "\n";
            }
            if (found.empty()) {
                response.text(200, "ready\n" + info);
            } else {
                std::string body = "not ready\n";
                for (const auto& problem : found) body += problem + "\n";
                response.text(503, body + info);
            }
            response.set_header("Cache-Control", "no-store");
        },
        http::Execution::Pool);

    router.add(
        "metrics", "/metrics",
        [this, &registry](http::Request& request, http::Response& response) {
            if (!metrics_access_.allows(request)) {
                if (metrics_access_.bearer_token.empty()) {
                    response.text(403, "403 Forbidden\n");
                } else {
                    response.text(401, "401 Unauthorized\n");
                    response.set_header("WWW-Authenticate", "Bearer");
                }
                response.set_header("Cache-Control", "no-store");
                return;
            }
            response.text(200, registry.render(), "text/plain; version=0.0.4; charset=utf-8");
            response.set_header("Cache-Control", "no-store");
        },
        http::Execution::Inline);
}

}  // namespace famigo::ops
