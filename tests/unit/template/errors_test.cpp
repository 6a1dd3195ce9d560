// Template errors name the template, the line and the offending token.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/template/engine.hpp"

namespace famigo::web::tmpl {
namespace {

using nlohmann::json;

// Renders `name` from `sources` and returns the error message (fails if none).
template <typename E = TemplateError>
std::string error_of(std::map<std::string, std::string> sources, const std::string& name,
                     const json& ctx = json::object()) {
    EngineOptions o;
    o.sources = std::move(sources);
    Engine engine(std::move(o));
    try {
        engine.render(name, ctx);
    } catch (const E& e) {
        const famigo::Error& base = e;  // every template error is a famigo::Error
        return base.what();
    }
    ADD_FAILURE() << "no error from " << name;
    return {};
}

void expect_contains(const std::string& msg, std::initializer_list<const char*> parts) {
    for (const char* p : parts)
        EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
}

TEST(Errors, UnknownTag) {
    auto msg = error_of<TemplateSyntaxError>({{"page.html", "one\ntwo\n  {% frobnicate x %}"}},
                                             "page.html");
    expect_contains(msg, {"page.html", "line 3", "frobnicate", "{% frobnicate x %}"});
}

TEST(Errors, UnknownFilter) {
    auto msg = error_of<TemplateSyntaxError>({{"f.html", "\n{{ name|shiny }}"}}, "f.html");
    expect_contains(msg, {"f.html", "line 2", "shiny", "{{ name|shiny }}"});
}

TEST(Errors, UnclosedBlockNamesTheOpeningTag) {
    auto msg = error_of<TemplateSyntaxError>(
        {{"u.html", "a\n{% for x in l %}\n{% if x %}\n{% endif %}\n"}}, "u.html");
    expect_contains(msg, {"u.html", "line 2", "for", "endfor", "{% for x in l %}"});
}

TEST(Errors, MismatchedEndTag) {
    auto msg = error_of<TemplateSyntaxError>({{"m.html", "{% if a %}\n\n{% endfor %}"}}, "m.html");
    expect_contains(msg, {"m.html", "line 3", "endfor", "endif"});
}

TEST(Errors, BadIfExpression) {
    auto msg = error_of<TemplateSyntaxError>({{"i.html", "x\n{% if a == %}{% endif %}"}}, "i.html");
    expect_contains(msg, {"i.html", "line 2", "{% if a == %}"});
}

TEST(Errors, ElifErrorPointsAtElif) {
    auto msg = error_of<TemplateSyntaxError>(
        {{"e.html", "{% if a %}\n{% elif and %}\n{% endif %}"}}, "e.html");
    expect_contains(msg, {"e.html", "line 2", "{% elif and %}"});
}

TEST(Errors, MissingIncludeNamesTheIncluder) {
    auto msg = error_of<TemplateDoesNotExist>({{"outer.html", "a\nb\n{% include 'gone.html' %}"}},
                                              "outer.html");
    expect_contains(msg, {"outer.html", "line 3", "gone.html", "{% include 'gone.html' %}"});
}

TEST(Errors, SyntaxErrorInIncludedTemplateNamesThatTemplate) {
    auto msg = error_of<TemplateSyntaxError>(
        {{"outer.html", "{% include 'inner.html' %}"}, {"inner.html", "ok\n\n{{ x|| }}"}},
        "outer.html");
    expect_contains(msg, {"inner.html", "line 3", "{{ x|| }}"});
}

TEST(Errors, MissingFilterArgumentVariableAtRender) {
    auto msg =
        error_of<VariableDoesNotExist>({{"v.html", "\n\n\n{{ a|default:nothing }}"}}, "v.html");
    expect_contains(msg, {"v.html", "line 4", "nothing"});
}

TEST(Errors, ForUnpackMismatch) {
    auto msg = error_of<TemplateRenderError>({{"f.html", "{% for a, b in l %}{% endfor %}"}},
                                             "f.html", {{"l", {{1, 2, 3}}}});
    expect_contains(msg, {"f.html", "line 1", "unpack"});
}

TEST(Errors, ExtendsMustBeFirst) {
    auto msg = error_of<TemplateSyntaxError>(
        {{"b.html", "x"}, {"c.html", "{% load x %}\n{% extends 'b.html' %}"}}, "c.html");
    expect_contains(msg, {"c.html", "line 2", "extends"});
}

TEST(Errors, LongTokensAreShortened) {
    std::string src = "{% nosuchtag " + std::string(500, 'x') + " %}";
    auto msg = error_of<TemplateSyntaxError>({{"l.html", src}}, "l.html");
    EXPECT_LT(msg.size(), 400u);
    expect_contains(msg, {"l.html", "line 1", "..."});
}

}  // namespace
}  // namespace famigo::web::tmpl
