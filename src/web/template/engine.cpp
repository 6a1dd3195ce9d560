#include "web/template/engine.hpp"

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/encoding.hpp"
#include "web/template/context.hpp"
#include "web/template/lexer.hpp"
#include "web/template/parser.hpp"

namespace famigo::web::tmpl {

namespace fs = std::filesystem;

void render_nodes(const NodeList& nodes, Context& ctx, std::string& out) {
    for (const auto& node : nodes) {
        try {
            node->render(ctx, out);
        } catch (TemplateError& e) {
            if (!e.located() && node->origin)
                e.locate(node->origin->name(), node->line, node->token);
            throw;
        }
    }
}

std::string Template::render(const Json& context, const Object* root_object) const {
    std::string out;
    out.reserve(source_.size() + source_.size() / 2);
    render_to(out, context, root_object);
    return out;
}

void Template::render_to(std::string& out, const Json& context, const Object* root_object) const {
    Context ctx(*engine_, &context, root_object, engine_->options().autoescape);
    render_in(ctx, out);
}

void Template::render_in(Context& ctx, std::string& out) const {
    RenderState state;
    state.template_ = this;
    RenderState* saved = ctx.state;
    ctx.state = &state;
    struct Restore {
        Context& c;
        RenderState* s;
        ~Restore() { c.state = s; }
    } restore{ctx, saved};
    render_nodes(nodes_, ctx, out);
}

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
    register_text_filters(library_);
    register_html_filters(library_);
    register_url_filters(library_);
    register_json_filters(library_);
    register_list_filters(library_);
    register_number_filters(library_);
    register_date_filters(library_);
    register_core_tags(library_);
    register_loop_tags(library_);
    register_inherit_tags(library_);
    register_misc_tags(library_);
    register_web_tags(library_);
}

namespace {

// Normalizes "a/./b/../c.html" to "a/c.html"; nullopt when the name is
// absolute or climbs above the template directory.
std::optional<std::string> normalize_name(std::string_view name) {
    if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos ||
        name.find('\0') != std::string_view::npos)
        return std::nullopt;
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto slash = name.find('/', start);
        std::string_view part =
            name.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (part == "..") {
            if (parts.empty()) return std::nullopt;
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.empty()) return std::nullopt;
    std::string out;
    for (auto p : parts) {
        if (!out.empty()) out += '/';
        out += p;
    }
    return out;
}

}  // namespace

std::optional<Engine::Loaded> Engine::load(std::string_view name) const {
    auto normalized = normalize_name(name);
    if (!normalized) {
        throw TemplateDoesNotExist("refusing template name '" + std::string(name) +
                                   "': it leaves the template directories");
    }
    if (auto it = options_.sources.find(std::string(name)); it != options_.sources.end())
        return Loaded{it->second, {}, {}};
    if (auto it = options_.sources.find(*normalized); it != options_.sources.end())
        return Loaded{it->second, {}, {}};
    for (const auto& dir : options_.dirs) {
        fs::path p = dir / *normalized;
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) continue;
        auto mtime = fs::last_write_time(p, ec);
        std::ifstream in(p, std::ios::binary);
        if (!in) continue;
        std::ostringstream buf;
        buf << in.rdbuf();
        return Loaded{buf.str(), p, mtime};
    }
    return std::nullopt;
}

std::shared_ptr<const Template> Engine::compile(std::string name, Loaded loaded) const {
    std::shared_ptr<Template> t(new Template());
    t->name_ = std::move(name);
    t->source_ = std::move(loaded.source);
    t->engine_ = this;
    t->path_ = std::move(loaded.path);
    t->mtime_ = loaded.mtime;
    Parser parser(*this, *t, tokenize(t->source_));
    t->nodes_ = parser.parse();
    return t;
}

std::shared_ptr<const Template> Engine::get_template(std::string_view name) const {
    std::string key(name);
    {
        std::shared_lock lock(cache_mutex_);
        auto it = cache_.find(key);
        if (it != cache_.end()) {
            const auto& t = it->second;
            if (!options_.debug || t->path_.empty()) return t;
            std::error_code ec;
            auto mtime = fs::last_write_time(t->path_, ec);
            if (!ec && mtime == t->mtime_) return t;
        }
    }
    auto loaded = load(name);
    if (!loaded) throw TemplateDoesNotExist(key);
    auto t = compile(key, std::move(*loaded));
    std::unique_lock lock(cache_mutex_);
    cache_[key] = t;
    return t;
}

std::shared_ptr<const Template> Engine::select_template(std::span<const std::string> names) const {
    std::string tried;
    for (const auto& n : names) {
        try {
            return get_template(n);
        } catch (const TemplateDoesNotExist&) {
            tried += (tried.empty() ? "" : ", ") + n;
        }
    }
    throw TemplateDoesNotExist(tried.empty() ? "No template names provided" : tried);
}

std::shared_ptr<const Template> Engine::from_string(std::string_view source,
                                                    std::string name) const {
    return compile(std::move(name), Loaded{std::string(source), {}, {}});
}

std::string Engine::render(std::string_view name, const Json& context) const {
    return get_template(name)->render(context);
}

std::string url_quote(std::string_view s, std::string_view safe) {
    std::string out;
    out.reserve(s.size());
    encoding::append_percent_encoded(out, s, safe);
    return out;
}

}  // namespace famigo::web::tmpl
