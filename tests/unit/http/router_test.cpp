#include "http/router.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace famigo::http;

namespace {
Handler noop() {
    return [](Request&, Response&) {};
}
}  // namespace

TEST(Router, LiteralAndParameterRoutes) {
    Router router;
    router.add("home", "/", noop());
    router.add("app", "/app/<slug:slug>/", noop());
    router.add("applist", "/applist/<int:id>/", noop());
    router.add("static", "/static/<path:file>", noop(), Execution::Inline);
    RouteParams params;

    EXPECT_EQ(router.match(Method::Get, "/", params).route->name, "home");
    auto m = router.match(Method::Get, "/app/angry-birds/", params);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.route->name, "app");
    EXPECT_EQ(params.get("slug"), "angry-birds");

    m = router.match(Method::Get, "/applist/42/", params);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(params.get("id"), "42");
    EXPECT_FALSE(router.match(Method::Get, "/applist/x42/", params).route);
    EXPECT_FALSE(router.match(Method::Get, "/app/angry-birds", params).route);  // no trailing slash
    EXPECT_FALSE(router.match(Method::Get, "/app/a/b/", params).route);

    m = router.match(Method::Get, "/static/css/site.css", params);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(params.get("file"), "css/site.css");
    EXPECT_EQ(m.route->execution, Execution::Inline);
}

TEST(Router, ParametersArePercentDecoded) {
    Router router;
    router.add("search", "/search/<str:term>/", noop());
    RouteParams params;
    ASSERT_TRUE(router.match(Method::Get, "/search/caf%C3%A9/", params).route);
    EXPECT_EQ(params.get("term"), "café");
    EXPECT_FALSE(router.match(Method::Get, "/search/a%2Fb/", params).route);  // decodes to a '/'
    EXPECT_FALSE(router.match(Method::Get, "/search/bad%zz/", params).route);
    EXPECT_FALSE(router.match(Method::Get, "/search/nul%00/", params).route);
}

TEST(Router, MethodNotAllowedReportsAllowed) {
    Router router;
    router.add("form", "/form/", noop(), Execution::Pool, kGet | kPost);
    RouteParams params;
    EXPECT_TRUE(router.match(Method::Head, "/form/", params).route);  // GET implies HEAD
    auto m = router.match(Method::Delete, "/form/", params);
    EXPECT_FALSE(m.route);
    EXPECT_TRUE(m.method_not_allowed);
    EXPECT_EQ(allowed_methods_text(m.allowed), "GET, HEAD, POST");
    EXPECT_FALSE(router.match(Method::Get, "/missing/", params).method_not_allowed);
}

TEST(Router, ReverseBuildsPaths) {
    Router router;
    router.add("home", "/", noop());
    router.add("app", "/app/<slug:slug>/", noop());
    router.add("static", "/static/<path:file>", noop());
    router.add("user", "/u/<str:name>", noop());
    EXPECT_EQ(router.reverse("home"), "/");
    EXPECT_EQ(router.reverse("app", {{"slug", "minecraft"}}), "/app/minecraft/");
    EXPECT_EQ(router.reverse("static", {{"file", "css/site.css"}}), "/static/css/site.css");
    EXPECT_EQ(router.reverse("user", {{"name", "a b&c"}}), "/u/a%20b%26c");
    EXPECT_THROW(router.reverse("nope"), famigo::Error);
    EXPECT_THROW(router.reverse("app"), famigo::Error);
    EXPECT_THROW(router.reverse("app", {{"slug", "not a slug"}}), famigo::Error);
}

TEST(Router, RejectsBadPatterns) {
    Router router;
    router.add("a", "/a/", noop());
    EXPECT_THROW(router.add("a", "/b/", noop()), famigo::Error);
    EXPECT_THROW(router.add("c", "nope", noop()), famigo::Error);
    EXPECT_THROW(router.add("d", "/<float:x>/", noop()), famigo::Error);
    EXPECT_THROW(router.add("e", "/<path:x>/more/", noop()), famigo::Error);
}
