// libFuzzer target for the template engine: compiles arbitrary bytes as a
// template and renders it against a small context. Any TemplateError is a
// fine outcome; a crash, a sanitizer report or a hang is a bug. The input is
// also registered as "self.html" and beside a few helper templates, so that
// include/extends recursion and block inheritance are exercised too.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "web/template/engine.hpp"

namespace {

const nlohmann::json& fuzz_context() {
    static const nlohmann::json ctx = nlohmann::json::parse(R"({
        "s": "Hello <b>World</b> & 'friends' http://example.com/a?b=1 me@example.org",
        "n": 42, "f": 3.14159, "neg": -7, "z": 0, "t": true, "nil": null, "e": "",
        "l": [1, "two", 3.5, null], "pairs": [[1, "a"], [2, "b"]],
        "d": {"k": "v", "n": 1, "items": [1, 2]},
        "apps": [{"name": "Zeta", "age": 3}, {"name": "alpha", "age": 10}],
        "when": "2011-03-04T05:06:07", "day": "2012-02-29", "csrf_token": "tok<>",
        "name": "inc.html", "names": ["nope.html", "inc.html"]
    })");
    return ctx;
}

std::optional<std::string> resolver(
    std::string_view name, std::span<const famigo::web::tmpl::Value> args,
    std::span<const std::pair<std::string, famigo::web::tmpl::Value>>) {
    if (name == "home") return std::string("/");
    if (name == "item" && args.size() == 1) return "/item/" + args[0].str() + "/";
    return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace famigo::web::tmpl;
    if (size > 8192) return 0;
    std::string source(reinterpret_cast<const char*>(data), size);
    EngineOptions options;
    options.sources["self.html"] = source;
    options.sources["inc.html"] =
        "[{{ s|truncatechars:9 }}{% for x in l %}{{ forloop.counter }}{% endfor %}]";
    options.sources["base.html"] =
        "<{% block a %}A{% endblock %}|{% block b %}B{% block c %}C{% endblock %}{% endblock %}>";
    options.url_resolver = resolver;
    options.max_include_depth = 12;
    options.max_render_steps = 5000;
    Engine engine(std::move(options));
    try {
        std::string out = engine.get_template("self.html")->render(fuzz_context());
        if (out.size() == 1 && out[0] == '\x01') return 1;  // keep `out` observable
    } catch (const TemplateError&) {
        // Malformed or hostile templates must end here, and only here.
    }
    return 0;
}
