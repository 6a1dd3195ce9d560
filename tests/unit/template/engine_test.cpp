// Engine behaviour beyond Django parity: autoescape, registering filters and
// tags from C++, host objects, the template cache and debug reload, refusal
// of names outside the template directories, host hooks, run_render.
#include "web/template/engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "web/template/parser.hpp"
#include "web/template/render_cli.hpp"

namespace famigo::web::tmpl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Designated initializers would trip -Wmissing-field-initializers.
EngineOptions with_dirs(std::vector<fs::path> dirs, bool debug = false) {
    EngineOptions o;
    o.dirs = std::move(dirs);
    o.debug = debug;
    return o;
}

EngineOptions with_sources(std::map<std::string, std::string> sources) {
    EngineOptions o;
    o.sources = std::move(sources);
    return o;
}

std::string render(const std::string& src, const Json& ctx = Json::object(),
                   EngineOptions opts = {}) {
    Engine engine(std::move(opts));
    return engine.from_string(src)->render(ctx);
}

class TempDir {
  public:
    TempDir() {
        path_ = fs::temp_directory_path() /
                ("famigo-tmpl-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }
    void write(const std::string& name, const std::string& text) const {
        fs::create_directories((path_ / name).parent_path());
        std::ofstream(path_ / name) << text;
    }

  private:
    fs::path path_;
    static inline int counter_ = 0;
};

TEST(Autoescape, EscapesDjangoCharacterSet) {
    EXPECT_EQ(render("{{ s }}", {{"s", "<a href=\"x\">&'"}}),
              "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;");
}

TEST(Autoescape, SafeLiteralsAndFilters) {
    EXPECT_EQ(render("{{ s|safe }}{{ '<i>' }}", {{"s", "<b>"}}), "<b><i>");
    EXPECT_EQ(render("{% autoescape off %}{{ s }}{% endautoescape %}{{ s }}", {{"s", "<"}}),
              "<&lt;");
    EXPECT_EQ(render("{{ s|escape|escape }}", {{"s", "&"}}), "&amp;");  // never escaped twice
}

TEST(Autoescape, EngineOptionTurnsItOff) {
    EngineOptions o;
    o.autoescape = false;
    EXPECT_EQ(render("{{ s }}", {{"s", "<b>"}}, std::move(o)), "<b>");
}

TEST(CustomFilters, RegisteredFilterWithArgument) {
    Engine engine;
    FilterSpec stars;
    stars.arg = FilterSpec::Arg::optional;
    stars.fn = [](const Value& v, const Value* arg, FilterEnv&) {
        auto n = py_int(v).value_or(0);
        std::string mark = arg ? arg->str() : "*";
        std::string out;
        for (std::int64_t i = 0; i < n; ++i) out += mark;
        return Value::string(out);
    };
    engine.library().add_filter("stars", stars);
    EXPECT_EQ(engine.from_string("{{ n|stars }}|{{ n|stars:'<>' }}")->render({{"n", 3}}),
              "***|&lt;&gt;&lt;&gt;&lt;&gt;");
}

TEST(CustomFilters, IsSafeKeepsTheMark) {
    Engine engine;
    FilterSpec shout;
    shout.is_safe = true;
    shout.string_input = true;
    shout.fn = [](const Value& v, const Value*, FilterEnv&) {
        return Value::string(std::string(v.as_string()) + "!");
    };
    engine.library().add_filter("shout", shout);
    EXPECT_EQ(engine.from_string("{{ s|shout }}{{ s|safe|shout }}")->render({{"s", "<b>"}}),
              "&lt;b&gt;!<b>!");
}

TEST(CustomFilters, ArgumentCountIsCheckedAtCompileTime) {
    Engine engine;
    FilterSpec f;
    f.fn = [](const Value& v, const Value*, FilterEnv&) { return v; };
    engine.library().add_filter("noarg", f);
    EXPECT_THROW(engine.from_string("{{ x|noarg:1 }}"), TemplateSyntaxError);
}

TEST(CustomTags, SimpleTagWithArgsKwargsAndAs) {
    Engine engine;
    engine.library().add_simple_tag("greet", [](std::span<const Value> args, const Kwargs& kw) {
        std::string out = "hi";
        for (const auto& a : args) out += " " + a.str();
        for (const auto& [k, v] : kw) out += " " + k + "=" + v.str();
        return Value::string(out);
    });
    auto t = engine.from_string("{% greet name 2 punct='!' %}|{% greet '<x>' as g %}[{{ g }}]");
    EXPECT_EQ(t->render({{"name", "Ann"}}), "hi Ann 2 punct=!|[hi &lt;x&gt;]");
}

class UpperNode final : public Node {
  public:
    NodeList body;
    void render(Context& ctx, std::string& out) const override {
        std::string inner;
        render_nodes(body, ctx, inner);
        for (char& c : inner) c = char(std::toupper(static_cast<unsigned char>(c)));
        out += inner;
    }
};

TEST(CustomTags, BlockTagCompiledFromCpp) {
    Engine engine;
    engine.library().add_tag("upper", [](Parser& p, const Token&) -> std::unique_ptr<Node> {
        auto node = std::make_unique<UpperNode>();
        node->body = p.parse({"endupper"});
        p.next_token();
        return node;
    });
    EXPECT_EQ(engine.from_string("a{% upper %}b{{ x }}{% endupper %}c")->render({{"x", "y"}}),
              "aBYc");
    EXPECT_THROW(engine.from_string("{% upper %}never closed"), TemplateSyntaxError);
}

class Catalog final : public Object {
  public:
    std::optional<Value> lookup(std::string_view key) const override {
        if (key == "title") return Value::borrowed("Angry <Birds>");
        if (key == "rating") return Value::real(4.5);
        if (key == "tags") return Value::sequence({Value::borrowed("a"), Value::borrowed("b")});
        return std::nullopt;
    }
    std::string str() const override { return "Catalog"; }
};

TEST(HostObjects, CallbackLookups) {
    Engine engine;
    Catalog catalog;
    auto t = engine.from_string(
        "{{ title }} {{ rating|floatformat }} {{ tags|join:',' }} [{{ missing }}]");
    EXPECT_EQ(t->render(json::object(), &catalog), "Angry &lt;Birds&gt; 4.5 a,b []");
    auto obj = std::make_shared<Catalog>();
    // Objects can also live inside the context through a wrapping Object.
    class Root final : public Object {
      public:
        explicit Root(std::shared_ptr<Catalog> c) : c_(std::move(c)) {}
        std::optional<Value> lookup(std::string_view key) const override {
            if (key == "app") return Value::object(c_);
            return std::nullopt;
        }

      private:
        std::shared_ptr<Catalog> c_;
    } root(obj);
    EXPECT_EQ(engine.from_string("{{ app.title|upper }} {{ app }}")->render(json::object(), &root),
              "ANGRY &lt;BIRDS&gt; Catalog");
}

TEST(Loader, CachesCompiledTemplates) {
    TempDir dir;
    dir.write("page.html", "v1 {{ x }}");
    Engine engine(with_dirs({dir.path()}));
    auto a = engine.get_template("page.html");
    auto b = engine.get_template("page.html");
    EXPECT_EQ(a.get(), b.get());
    dir.write("page.html", "v2 {{ x }}");
    EXPECT_EQ(engine.render("page.html", {{"x", 1}}), "v1 1");  // not in debug mode: stays cached
}

TEST(Loader, DebugModeReloadsChangedFiles) {
    TempDir dir;
    dir.write("page.html", "v1");
    Engine engine(with_dirs({dir.path()}, true));
    EXPECT_EQ(engine.render("page.html", json::object()), "v1");
    dir.write("page.html", "v2");
    // Make sure the mtime differs even on coarse-grained file systems.
    fs::last_write_time(dir.path() / "page.html",
                        fs::file_time_type::clock::now() + std::chrono::seconds(2));
    EXPECT_EQ(engine.render("page.html", json::object()), "v2");
}

TEST(Loader, SearchesDirectoriesInOrder) {
    TempDir first, second;
    second.write("a.html", "second a");
    second.write("b.html", "second b");
    first.write("a.html", "first a");
    Engine engine(with_dirs({first.path(), second.path()}));
    EXPECT_EQ(engine.render("a.html", json::object()), "first a");
    EXPECT_EQ(engine.render("b.html", json::object()), "second b");
}

TEST(Loader, RefusesNamesOutsideTheDirectories) {
    TempDir dir;
    dir.write("sub/ok.html", "ok");
    dir.write("sub/../top.html", "top");
    std::ofstream(dir.path().parent_path() / "famigo-outside.html") << "secret";
    Engine engine(with_dirs({dir.path() / "sub"}));
    EXPECT_EQ(engine.render("ok.html", json::object()), "ok");
    EXPECT_EQ(engine.render("./x/../ok.html", json::object()), "ok");
    for (const char* bad :
         {"../top.html", "../../famigo-outside.html", "/etc/passwd", "a/../../top.html", ".."}) {
        EXPECT_THROW(engine.get_template(bad), TemplateDoesNotExist) << bad;
    }
    // Relative names that climb out are refused before any file is touched.
    EXPECT_THROW(engine.from_string("{% include '../top.html' %}")->render(json::object()),
                 TemplateError);
    EXPECT_THROW(engine.from_string("{% include name %}")->render({{"name", "../top.html"}}),
                 TemplateError);
    fs::remove(dir.path().parent_path() / "famigo-outside.html");
}

TEST(Loader, MissingTemplate) {
    Engine engine;
    try {
        engine.get_template("nope.html");
        FAIL();
    } catch (const TemplateDoesNotExist& e) {
        EXPECT_NE(std::string(e.what()).find("nope.html"), std::string::npos);
    }
}

TEST(Limits, SelfIncludeEndsInAnError) {
    Engine engine(with_sources({{"loop.html", "x{% include 'loop.html' %}"}}));
    EXPECT_THROW(engine.render("loop.html", json::object()), TemplateRenderError);
}

TEST(Limits, ExtendsCycleEndsInAnError) {
    Engine engine(
        with_sources({{"a.html", "{% extends 'b.html' %}"}, {"b.html", "{% extends 'a.html' %}"}}));
    EXPECT_THROW(engine.render("a.html", json::object()), TemplateRenderError);
}

TEST(Limits, RenderStepBudget) {
    EngineOptions limited;
    limited.max_render_steps = 1000;
    Engine engine(std::move(limited));
    auto t = engine.from_string(
        "{% for a in l %}{% for b in l %}{% for c in l %}.{% endfor %}{% endfor %}{% endfor %}");
    json ctx = {{"l", json::array()}};
    for (int i = 0; i < 20; ++i) ctx["l"].push_back(i);
    EXPECT_THROW(t->render(ctx), TemplateRenderError);
}

TEST(Limits, DeepNestingIsASyntaxError) {
    std::string src;
    for (int i = 0; i < 500; ++i) src += "{% if 1 %}";
    EXPECT_THROW(render(src), TemplateSyntaxError);
}

class MapCache final : public FragmentCache {
  public:
    std::optional<std::string> get(std::string_view, const std::string& key) override {
        auto it = data.find(key);
        if (it == data.end()) return std::nullopt;
        return it->second;
    }
    void set(std::string_view name, const std::string& key, const std::string& value,
             std::optional<std::int64_t> timeout) override {
        data[key] = value;
        last_name = std::string(name);
        last_timeout = timeout;
    }
    std::map<std::string, std::string> data;
    std::string last_name;
    std::optional<std::int64_t> last_timeout;
};

TEST(Hooks, FragmentCacheUsesDjangoKeys) {
    auto cache = std::make_shared<MapCache>();
    EngineOptions o;
    o.fragment_cache = cache;
    Engine engine(std::move(o));
    auto t = engine.from_string("{% cache 300 sidebar user.id lang %}[{{ n }}]{% endcache %}");
    json ctx = {{"user", {{"id", 3}}}, {"lang", "en"}, {"n", 1}};
    EXPECT_EQ(t->render(ctx), "[1]");
    // Key computed by Django 3.2's make_template_fragment_key('sidebar', [3, 'en']).
    ASSERT_EQ(cache->data.count("template.cache.sidebar.bdeafc5d2464c672a379a66286ba466c"), 1u);
    EXPECT_EQ(cache->last_timeout, 300);
    ctx["n"] = 2;
    EXPECT_EQ(t->render(ctx), "[1]");  // served from the cache
    EXPECT_EQ(engine.from_string("{% cache None sidebar using='fast' %}x{% endcache %}")
                  ->render(json::object()),
              "x");
    EXPECT_EQ(cache->last_name, "fast");
    EXPECT_EQ(cache->last_timeout, std::nullopt);
    EXPECT_EQ(cache->data.count("template.cache.sidebar.d41d8cd98f00b204e9800998ecf8427e"), 1u);
}

TEST(Hooks, StaticAndUrl) {
    EngineOptions o;
    o.static_url = [](std::string_view p) { return "https://cdn.example/" + std::string(p); };
    o.url_resolver =
        [](std::string_view name, std::span<const Value> args,
           std::span<const std::pair<std::string, Value>>) -> std::optional<std::string> {
        if (name == "app-detail" && args.size() == 1) return "/app/" + args[0].str() + "/";
        return std::nullopt;
    };
    EXPECT_EQ(render("{% static 'a.css' %} {% url 'app-detail' s %}", {{"s", "x"}}, std::move(o)),
              "https://cdn.example/a.css /app/x/");
    EXPECT_THROW(render("{% url 'nothing' %}"), TemplateRenderError);
}

TEST(Now, FormatsTheCurrentDate) {
    std::string year = render("{% now 'Y' %}");
    ASSERT_EQ(year.size(), 4u);
    EXPECT_GE(std::stoi(year), 2024);
}

TEST(RunRender, ExitCodes) {
    TempDir dir;
    dir.write("hello.html", "Hello {{ name }}!");
    dir.write("broken.html", "line one\n{% if %}");
    std::ostringstream out, err;
    EXPECT_EQ(run_render("hello.html", R"({"name": "<Ann>"})", {dir.path().string()}, out, err), 0);
    EXPECT_EQ(out.str(), "Hello &lt;Ann&gt;!");
    std::ostringstream out2, err2;
    EXPECT_EQ(run_render("hello.html", "{not json", {dir.path().string()}, out2, err2), 2);
    EXPECT_NE(err2.str().find("not valid JSON"), std::string::npos);
    std::ostringstream out3, err3;
    EXPECT_EQ(run_render("hello.html", "[1]", {dir.path().string()}, out3, err3), 2);
    std::ostringstream out4, err4;
    EXPECT_EQ(run_render("broken.html", "{}", {dir.path().string()}, out4, err4), 1);
    EXPECT_NE(err4.str().find("broken.html"), std::string::npos);
    EXPECT_NE(err4.str().find("line 2"), std::string::npos);
    std::ostringstream out5, err5;
    EXPECT_EQ(run_render("missing.html", "{}", {dir.path().string()}, out5, err5), 1);
}

// `famigo render --context` keeps the document's key order, as Django's
// json.loads dict would: json_script and .items see "name" before "n".
TEST(RunRender, ContextKeepsTheDocumentsKeyOrder) {
    TempDir dir;
    dir.write("data.html",
              "{{ data|json_script:'x' }}|{% for k, v in data.items %}{{ k }};{% endfor %}");
    std::ostringstream out, err;
    ASSERT_EQ(run_render("data.html", R"({"data": {"name": "Ann", "n": 1}})", {dir.path().string()},
                         out, err),
              0)
        << err.str();
    EXPECT_EQ(out.str(),
              R"(<script id="x" type="application/json">{"name": "Ann", "n": 1}</script>|name;n;)");
}

// A context built in C++ keeps insertion order, as a Python dict literal does.
TEST(Context, KeepsInsertionOrder) {
    Json context = Json::object();
    context["zeta"] = 1;
    context["alpha"] = 2;
    EXPECT_EQ(render("{% for k in d %}{{ k }}{% endfor %}", Json{{"d", context}}), "zetaalpha");
}

}  // namespace
}  // namespace famigo::web::tmpl
