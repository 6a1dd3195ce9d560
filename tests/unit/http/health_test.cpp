#include "ops/health.hpp"

#include <gtest/gtest.h>

#include "http/app.hpp"
#include "ops/metrics.hpp"

using namespace famigo;

namespace {
http::Response get(http::App& app, std::string_view path, std::string_view client = "127.0.0.1",
                   std::string_view authorization = "") {
    http::Request request;
    request.method = http::Method::Get;
    request.path = path;
    request.peer_address = request.client_address = client;
    if (!authorization.empty()) request.add_header("Authorization", authorization);
    http::Response response;
    app.handle(app.route(request), request, response);
    return response;
}
}  // namespace

TEST(Health, ReadinessFollowsProbesAndDrain) {
    bool store_up = true;
    bool draining = false;
    ops::Health health;
    health.add_probe("store", [&]() -> std::optional<std::string> {
        if (store_up) return std::nullopt;
        return "connection refused";
    });
    health.add_probe("search",
                     []() -> std::optional<std::string> { throw std::runtime_error("timeout"); });
    health.set_draining([&] { return draining; });
    ops::Registry registry;
    http::App app;
    health.install(app.router(), registry, {});

    auto problems = health.problems();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "search: timeout");  // a throwing probe is a failing probe

    store_up = false;
    draining = true;
    auto response = get(app, "/readyz");
    EXPECT_EQ(response.status, 503);
    EXPECT_NE(response.body.find("draining\n"), std::string::npos);
    EXPECT_NE(response.body.find("store: connection refused\n"), std::string::npos);

    // Liveness never consults dependencies.
    EXPECT_EQ(get(app, "/healthz").status, 200);
}

TEST(Health, ReadyWhenEverythingIsUp) {
    ops::Health health;
    health.add_probe("cache", []() -> std::optional<std::string> { return std::nullopt; });
    ops::Registry registry;
    http::App app;
    health.install(app.router(), registry, {});
    auto response = get(app, "/readyz");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "ready\n");
    EXPECT_EQ(response.header("Cache-Control"), "no-store");
}

TEST(Health, MetricsOnlyForAllowedNetworksOrTheBearerToken) {
    ops::Health health;
    ops::Registry registry;
    http::App app;
    health.install(app.router(), registry,
                   {http::parse_networks({"127.0.0.0/8", "10.1.0.0/16"}, "k"), "s3cret"});
    EXPECT_EQ(get(app, "/metrics", "127.0.0.1").status, 200);
    EXPECT_EQ(get(app, "/metrics", "10.1.2.3").status, 200);
    auto refused = get(app, "/metrics", "203.0.113.5");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(get(app, "/metrics", "203.0.113.5", "Bearer s3cret").status, 200);
    EXPECT_EQ(get(app, "/metrics", "203.0.113.5", "bearer  s3cret").status, 200);
    EXPECT_EQ(get(app, "/metrics", "203.0.113.5", "Bearer s3cre").status, 401);
    EXPECT_EQ(get(app, "/metrics", "203.0.113.5", "Basic s3cret").status, 401);

    ops::Health no_token;
    http::App other;
    no_token.install(other.router(), registry, {http::parse_networks({"::1"}, "k"), ""});
    EXPECT_EQ(get(other, "/metrics", "::1").status, 200);
    EXPECT_EQ(get(other, "/metrics", "127.0.0.1").status, 403);
    EXPECT_EQ(get(other, "/metrics", "unknown", "Bearer ").status, 403);
}
