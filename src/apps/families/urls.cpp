// The families app's route table: the Sandbox API v1 (api_views.hpp). Route
// names start with "sandbox-api-", which web/security exempts from the CSRF
// check (the API authenticates by headers, never cookies). Nothing here is
// page-cached: every answer is one family's.
#include <chrono>

#include "apps/families/api_gate.hpp"
#include "apps/families/api_views.hpp"
#include "apps/families/families_app.hpp"
#include "apps/families/openapi.hpp"
#include "core/config.hpp"
#include "web/security/web_security.hpp"

namespace famigo::apps::families {
namespace {

struct FamiliesApp {
    Families families;
    ApiGate gate;
    ApiViews views;

    explicit FamiliesApp(Site& site)
        : families(site.store, site.security.options.secret_key),
          gate(families, site.cache,
               {site.config.integer("families.rate_per_key"),
                site.config.integer("families.rate_per_device")}),
          views(families, gate,
                std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::milliseconds(site.config.integer("families.idempotency_ttl")))) {}
};

}  // namespace

void define_config(config::Schema& schema) {
    schema
        .add({"families.rate_per_key", config::Kind::Integer, "12000",
              "Sandbox API requests a minute allowed per client API key (then 429)",
              config::positive})
        .add({"families.rate_per_device", config::Kind::Integer, "600",
              "Sandbox API requests a minute allowed per device token (then 429)",
              config::positive})
        .add({"families.idempotency_ttl", config::Kind::DurationMs, "24h",
              "how long POST /api/v1/families keeps its answer for an Idempotency-Key",
              config::positive});
}

Running install(Site& site) {
    auto running = std::make_shared<FamiliesApp>(site);
    const ApiViews& views = running->views;
    using View = void (ApiViews::*)(const http::Request&, http::Response&) const;
    auto route = [&](const std::string& name, std::string pattern, View view, unsigned methods) {
        site.router.add(
            name, std::move(pattern),
            [&views, view](http::Request& request, http::Response& response) {
                (views.*view)(request, response);
            },
            http::Execution::Pool, methods);
    };
    const unsigned get = http::kGet | http::kHead;
    route("sandbox-api-families", "/api/v1/families", &ApiViews::create_family, http::kPost);
    route("sandbox-api-devices", "/api/v1/devices", &ApiViews::register_device, http::kPost);
    route("sandbox-api-kids", "/api/v1/families/<str:family_id>/kids", &ApiViews::kids,
          get | http::kPost);
    route("sandbox-api-kid", "/api/v1/kids/<str:kid_id>", &ApiViews::kid,
          http::kPatch | http::kDelete);
    route("sandbox-api-sandbox", "/api/v1/kids/<str:kid_id>/sandbox", &ApiViews::sandbox,
          get | http::kPut);
    route("sandbox-api-launches", "/api/v1/launches", &ApiViews::launches, http::kPost);
    route("sandbox-api-recommendations", "/api/v1/kids/<str:kid_id>/recommendations",
          &ApiViews::recommendations, get);
    route("sandbox-api-export", "/api/v1/families/<str:family_id>/export", &ApiViews::export_family,
          get);
    site.openapi_parts.emplace_back(add_openapi_paths);
    return running;
}

}  // namespace famigo::apps::families
