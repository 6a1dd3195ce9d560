// Tags that reach into the host application: {% url %} (through the engine's
// URL resolver), {% static %} (static URL hook), {% csrf_token %} and
// {% cache %} (fragment cache hook, Django-compatible keys).
#include "web/template/context.hpp"
#include "web/template/engine.hpp"
#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/md5.hpp"
#include "web/template/parser.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

namespace {

bool kwarg_split(const std::string& bit, std::string& key, std::string& value) {
    auto eq = bit.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 >= bit.size()) return false;
    for (std::size_t i = 0; i < eq; ++i) {
        unsigned char c = static_cast<unsigned char>(bit[i]);
        if (!(std::isalnum(c) || c == '_' || c >= 0x80)) return false;
    }
    key = bit.substr(0, eq);
    value = bit.substr(eq + 1);
    return true;
}

class UrlNode final : public Node {
  public:
    FilterExpression view_name;
    std::vector<FilterExpression> args;
    std::vector<std::pair<std::string, FilterExpression>> kwargs;
    std::string asvar;

    void render(Context& ctx, std::string& out) const override {
        std::vector<Value> a;
        for (const auto& x : args) a.push_back(x.resolve(ctx));
        std::vector<std::pair<std::string, Value>> kw;
        for (const auto& [k, v] : kwargs) kw.emplace_back(k, v.resolve(ctx));
        Value name = view_name.resolve(ctx);
        if (!a.empty() && !kw.empty())
            throw TemplateRenderError("Don't mix *args and **kwargs in call to reverse()!");
        const auto& resolver = ctx.engine().options().url_resolver;
        std::string name_str = name.str();
        std::optional<std::string> url;
        if (resolver) url = resolver(name_str, a, kw);
        if (!url && asvar.empty()) {
            throw TemplateRenderError("Reverse for '" + name_str + "' not found. '" + name_str +
                                      "' is not a valid view function or pattern name.");
        }
        if (!asvar.empty()) {
            ctx.set(asvar, Value::string(url.value_or("")));
            return;
        }
        if (ctx.autoescape)
            text::append_escaped(out, *url);
        else
            out += *url;
    }
};

std::unique_ptr<Node> do_url(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    if (bits.size() < 2) p.fail(t, "'url' takes at least one argument, a URL pattern name.");
    auto node = std::make_unique<UrlNode>();
    node->view_name = p.compile_filter(bits[1]);
    std::vector<std::string> rest(bits.begin() + 2, bits.end());
    if (rest.size() >= 2 && rest[rest.size() - 2] == "as") {
        node->asvar = rest.back();
        rest.resize(rest.size() - 2);
    }
    for (const auto& bit : rest) {
        std::string key, value;
        if (kwarg_split(bit, key, value))
            node->kwargs.emplace_back(key, p.compile_filter(value));
        else
            node->args.push_back(p.compile_filter(bit));
    }
    return node;
}

std::string default_static_url(std::string_view path) {
    // Django without staticfiles: urljoin(STATIC_URL, quote(path)).
    std::string quoted = url_quote(path);
    if (!path.empty() && path[0] == '/') return quoted;
    if (path.find("://") != std::string_view::npos) return std::string(path);
    return "/static/" + quoted;
}

class StaticNode final : public Node {
  public:
    FilterExpression path;
    std::string varname;

    void render(Context& ctx, std::string& out) const override {
        std::string p = path.resolve(ctx).str();
        const auto& hook = ctx.engine().options().static_url;
        std::string url = hook ? hook(p) : default_static_url(p);
        if (ctx.autoescape) url = text::escape(url);
        if (!varname.empty()) {
            ctx.set(varname, Value::string(std::move(url), ctx.autoescape));
            return;
        }
        out += url;
    }
};

std::unique_ptr<Node> do_static(Parser& p, const Token& t) {
    auto bits = split_contents(t);
    if (bits.size() < 2) p.fail(t, "'static' takes at least one argument (path to file)");
    auto node = std::make_unique<StaticNode>();
    node->path = p.compile_filter(bits[1]);
    if (bits.size() >= 4 && bits[bits.size() - 2] == "as") node->varname = bits[3];
    return node;
}

class CsrfTokenNode final : public Node {
  public:
    void render(Context& ctx, std::string& out) const override {
        Value csrf = ctx.lookup("csrf_token");
        if (!csrf.truthy()) return;
        if (csrf.is_string() && csrf.as_string() == "NOTPROVIDED") return;
        out += "<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"";
        render_value(csrf, true, out);
        out += "\">";
    }
};

class CacheNode final : public Node {
  public:
    NodeList body;
    FilterExpression expire;
    std::string fragment_name;
    std::vector<FilterExpression> vary_on;
    std::optional<FilterExpression> cache_name;

    void render(Context& ctx, std::string& out) const override {
        Value t = expire.resolve(ctx);
        std::optional<std::int64_t> timeout;
        if (!t.is_none()) {
            timeout = py_int(t);
            if (!timeout || t.kind() == Value::Kind::list || t.kind() == Value::Kind::dict)
                throw TemplateRenderError("\"cache\" tag got a non-integer timeout value: '" +
                                          t.str() + "'");
        }
        const auto& cache = ctx.engine().options().fragment_cache;
        if (!cache) {
            render_nodes(body, ctx, out);
            return;
        }
        std::string name = cache_name ? cache_name->resolve(ctx).str() : std::string();
        std::string hashed;
        for (const auto& v : vary_on) {
            hashed += v.resolve(ctx).str();
            hashed += ':';
        }
        std::string key = "template.cache." + fragment_name + "." + md5_hex(hashed);
        if (auto hit = cache->get(name, key)) {
            out += *hit;
            return;
        }
        std::string fragment;
        render_nodes(body, ctx, fragment);
        cache->set(name, key, fragment, timeout);
        out += fragment;
    }
};

std::unique_ptr<Node> do_cache(Parser& p, const Token& t) {
    auto node = std::make_unique<CacheNode>();
    node->body = p.parse({"endcache"});
    p.next_token();
    auto bits = split_contents(t);
    if (bits.size() < 3) p.fail(t, "'cache' tag requires at least 2 arguments.");
    if (bits.size() > 3 && bits.back().rfind("using=", 0) == 0) {
        node->cache_name = p.compile_filter(bits.back().substr(6));
        bits.pop_back();
    }
    node->expire = p.compile_filter(bits[1]);
    node->fragment_name = bits[2];
    for (std::size_t i = 3; i < bits.size(); ++i)
        node->vary_on.push_back(p.compile_filter(bits[i]));
    return node;
}

}  // namespace

void register_web_tags(Library& lib) {
    lib.add_tag("url", do_url);
    lib.add_tag("static", do_static);
    lib.add_tag("csrf_token", [](Parser&, const Token&) -> std::unique_ptr<Node> {
        return std::make_unique<CsrfTokenNode>();
    });
    lib.add_tag("cache", do_cache);
}

}  // namespace famigo::web::tmpl
