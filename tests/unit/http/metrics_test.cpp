#include "ops/metrics.hpp"

#include <gtest/gtest.h>

#include "http/router.hpp"
#include "http/server.hpp"

using namespace famigo;

TEST(Exposition, EscapesLabelsAndFormatsNumbers) {
    std::string out;
    ops::Exposition e(out);
    e.family("x_total", "counter", "Help with \\ and\nnewline.");
    e.sample("x_total", {{"path", "a\"b\\c\nd"}}, 3);
    e.sample("y", {}, 0.25);
    EXPECT_EQ(out,
              "# HELP x_total Help with \\\\ and\\nnewline.\n# TYPE x_total counter\n"
              "x_total{path=\"a\\\"b\\\\c\\nd\"} 3\ny 0.25\n");
}

TEST(RequestMetrics, CountsByRouteAndStatusWithHistogram) {
    http::Router router;
    router.add("home", "/", [](http::Request&, http::Response&) {});
    ops::Registry registry;
    http::ServerStats stats;
    ops::RequestMetrics metrics(router, registry, stats);

    http::Request request;
    request.route = router.routes()[0].get();
    request.started = std::chrono::steady_clock::now();
    http::Response response;
    response.status = 200;
    metrics.after(request, response);
    metrics.after(request, response);
    response.status = 404;
    request.route = nullptr;
    metrics.after(request, response);

    std::string text = registry.render();
    EXPECT_NE(text.find("famigo_http_requests_total{route=\"home\",status=\"200\"} 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("famigo_http_requests_total{route=\"none\",status=\"404\"} 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("famigo_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"} 2\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("famigo_http_request_duration_seconds_count{route=\"home\"} 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("# TYPE famigo_http_request_duration_seconds histogram\n"),
              std::string::npos);
    EXPECT_NE(text.find("famigo_http_connections_open 0\n"), std::string::npos);
}
