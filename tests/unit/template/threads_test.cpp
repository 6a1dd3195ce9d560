// One compiled template rendered from many threads at once gives every
// thread the same output: the node tree is immutable, state is per call.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "web/template/engine.hpp"

namespace famigo::web::tmpl {
namespace {

TEST(Threads, ConcurrentRendersOfOneTemplate) {
    EngineOptions o;
    o.sources = {
        {"base.html", "<h1>{% block title %}Base{% endblock %}</h1>{% block body %}{% endblock %}"},
        {"row.html", "<li class=\"{% cycle 'odd' 'even' %}\">{{ app.name|title }}</li>"},
        {"page.html",
         "{% extends 'base.html' %}{% block title %}{{ title|upper }} / {{ block.super }}{% "
         "endblock %}"
         "{% block body %}<ul>{% for app in apps %}{% include 'row.html' %}"
         "{% cycle 'a' 'b' as ab silent %}{{ ab }}{{ forloop.counter }}{% endfor %}</ul>"
         "{% with n=apps|length %}{{ n }} app{{ n|pluralize }}{% endwith %}{% endblock %}"},
    };
    Engine engine(std::move(o));
    nlohmann::json ctx = {{"title", "Top <apps>"}, {"apps", nlohmann::json::array()}};
    for (int i = 0; i < 50; ++i)
        ctx["apps"].push_back({{"name", "app number " + std::to_string(i)}});
    const std::string expected = engine.render("page.html", ctx);
    ASSERT_NE(expected.find("TOP &lt;APPS&gt; / Base"), std::string::npos);

    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i)
                if (engine.render("page.html", ctx) != expected) ++mismatches;
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(Threads, ConcurrentFirstLoadsAndCompiles) {
    EngineOptions o;
    o.sources = {{"a.html", "{{ x }}{% include 'b.html' %}"}, {"b.html", "[{{ x|add:1 }}]"}};
    Engine engine(std::move(o));
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i)
                if (engine.render("a.html", {{"x", t}}) !=
                    std::to_string(t) + "[" + std::to_string(t + 1) + "]")
                    ++mismatches;
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace famigo::web::tmpl
