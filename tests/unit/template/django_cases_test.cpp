// Replays every case rendered by real Django (django_cases.json, written by
// tools/django_cases/generate.py) and demands byte-identical output, or an
// error where Django raised one.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "web/template/engine.hpp"

namespace famigo::web::tmpl::testing {

namespace {

// Parsed as the engine's Json, so every context keeps its document's key order.
const Json& cases() {
    static const Json data = [] {
        std::ifstream in(FAMIGO_DJANGO_CASES);
        std::stringstream buf;
        buf << in.rdbuf();
        return Json::parse(buf.str());
    }();
    return data;
}

std::vector<std::string> case_names() {
    std::vector<std::string> names;
    for (const auto& c : cases()["cases"]) names.push_back(c["name"].get<std::string>());
    return names;
}

bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool matches(std::string_view conv, const std::string& s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (conv == "int" && !std::isdigit(static_cast<unsigned char>(c))) return false;
        if (conv == "slug" && !(is_word(c) || c == '-')) return false;
        if (conv == "str" && c == '/') return false;
    }
    return true;
}

// The URLconf of tools/django_cases/generate.py: home "", app-detail
// "app/<slug:slug>/", applist "applist/<int:id>/", search "search/",
// user-n "u/<str:user>/<int:n>/".
std::optional<std::string> case_url_resolver(
    std::string_view name, std::span<const Value> args,
    std::span<const std::pair<std::string, Value>> kwargs) {
    struct Param {
        const char* conv;
        const char* name;
    };
    struct Pattern {
        const char* name;
        std::vector<std::string> pieces;  // literal pieces around the parameters
        std::vector<Param> params;
    };
    static const std::vector<Pattern> patterns = {
        {"home", {"/"}, {}},
        {"app-detail", {"/app/", "/"}, {{"slug", "slug"}}},
        {"applist", {"/applist/", "/"}, {{"int", "id"}}},
        {"search", {"/search/"}, {}},
        {"user-n", {"/u/", "/", "/"}, {{"str", "user"}, {"int", "n"}}},
    };
    for (const auto& p : patterns) {
        if (name != p.name) continue;
        std::vector<std::string> values;
        if (!args.empty()) {
            if (args.size() != p.params.size()) return std::nullopt;
            for (const auto& a : args) values.push_back(a.str());
        } else {
            if (kwargs.size() != p.params.size()) return std::nullopt;
            for (const auto& param : p.params) {
                bool found = false;
                for (const auto& [k, v] : kwargs)
                    if (k == param.name) {
                        values.push_back(v.str());
                        found = true;
                    }
                if (!found) return std::nullopt;
            }
        }
        std::string out = p.pieces[0];
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (!matches(p.params[i].conv, values[i])) return std::nullopt;
            out += values[i] + p.pieces[i + 1];
        }
        return out;
    }
    return std::nullopt;
}

}  // namespace

class DjangoCase : public ::testing::TestWithParam<std::string> {};

TEST_P(DjangoCase, MatchesDjango) {
    const Json* found = nullptr;
    for (const auto& c : cases()["cases"])
        if (c["name"] == GetParam()) found = &c;
    ASSERT_NE(found, nullptr);
    const auto& c = *found;
    EngineOptions options;
    options.sources["__main__.html"] = c["template"].get<std::string>();
    if (c.contains("templates"))
        for (auto it = c["templates"].begin(); it != c["templates"].end(); ++it)
            options.sources[it.key()] = it.value().get<std::string>();
    options.url_resolver = case_url_resolver;
    Engine engine(std::move(options));
    SCOPED_TRACE("template: " + c["template"].get<std::string>());
    if (c.contains("error")) {
        EXPECT_THROW(engine.render("__main__.html", c["context"]), TemplateError)
            << "Django raised " << c["error"] << ": " << c["message"];
        return;
    }
    std::string out;
    try {
        out = engine.render("__main__.html", c["context"]);
    } catch (const std::exception& e) {
        FAIL() << "famigo raised: " << e.what() << "\nDjango rendered: " << c["output"];
    }
    EXPECT_EQ(out, c["output"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Django, DjangoCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(DjangoCases, RecordsVersionAndEnoughCases) {
    EXPECT_TRUE(cases()["django_version"].is_string());
    EXPECT_GE(cases()["cases"].size(), 150u);
}

}  // namespace famigo::web::tmpl::testing
