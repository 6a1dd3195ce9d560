// The template engine: loads templates by name from one or more directories
// (or from in-memory sources), compiles each once into an immutable node tree
// and caches it; in debug mode a template is recompiled when its file's mtime
// changes. Rendering is thread-safe: share one Engine and its Templates across
// threads, each render keeps its state on its own stack.
//
//   famigo::web::tmpl::Engine engine({.dirs = {"templates"}});
//   std::string html = engine.get_template("app/detail.html")->render(context_json);
//
// Host hooks: URL reversing for {% url %}, static URLs for {% static %}, a
// fragment cache for {% cache %}. See docs/templates.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/node.hpp"
#include "web/template/value.hpp"

namespace famigo::web::tmpl {

class Engine;
class BlockNode;
class Context;

// {% cache %} stores rendered fragments here. Keys follow Django's
// make_template_fragment_key ("template.cache.<name>.<md5 of vary-on>").
class FragmentCache {
  public:
    virtual ~FragmentCache() = default;
    // cache_name: the tag's using="..." option, empty for the default cache.
    virtual std::optional<std::string> get(std::string_view cache_name, const std::string& key) = 0;
    virtual void set(std::string_view cache_name, const std::string& key, const std::string& value,
                     std::optional<std::int64_t> timeout_seconds) = 0;
};

// {% url name a b k=v %}: returns the path, or nullopt when nothing matches
// (Django's NoReverseMatch).
using UrlResolver = std::function<std::optional<std::string>(
    std::string_view name, std::span<const Value> args,
    std::span<const std::pair<std::string, Value>> kwargs)>;
// {% static "path" %}: the public URL of a static file.
using StaticUrl = std::function<std::string(std::string_view path)>;

struct EngineOptions {
    std::vector<std::filesystem::path> dirs;     // searched in order
    std::map<std::string, std::string> sources;  // in-memory templates, searched first
    bool debug = false;                          // recompile a template whose file changed on disk
    bool autoescape = true;
    UrlResolver url_resolver;  // unset: every {% url %} fails to reverse
    StaticUrl static_url;      // unset: "/static/" + percent-quoted path, as Django
    std::shared_ptr<FragmentCache> fragment_cache;  // unset: {% cache %} just renders
    // Bounds against hostile templates: nesting of includes/extends, and the
    // number of loop iterations plus includes in one render (0: unlimited).
    int max_include_depth = 64;
    std::uint64_t max_render_steps = 0;
};

class Template {
  public:
    const std::string& name() const { return name_; }
    const Engine& engine() const { return *engine_; }

    std::string render(const Json& context, const Object* root_object = nullptr) const;
    void render_to(std::string& out, const Json& context,
                   const Object* root_object = nullptr) const;
    // Renders inside an existing context (include, extends) with a fresh
    // render state unless `state` is given.
    void render_in(Context& ctx, std::string& out) const;

    // Compiler internals, read by the inheritance tags.
    const NodeList& nodes() const { return nodes_; }
    const std::unordered_map<std::string_view, const BlockNode*>& blocks() const { return blocks_; }
    const Node* extends_node() const { return extends_; }

  private:
    friend class Engine;
    friend class Parser;
    friend class BlockNode;
    friend class InheritParserAccess;
    Template() = default;

    std::string name_;
    std::string source_;
    NodeList nodes_;
    std::unordered_map<std::string_view, const BlockNode*> blocks_;
    const Node* extends_ = nullptr;
    const Engine* engine_ = nullptr;
    std::filesystem::path path_;
    std::filesystem::file_time_type mtime_{};
};

class Engine {
  public:
    explicit Engine(EngineOptions options = {});
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Register custom filters and tags here, before compiling templates.
    Library& library() { return library_; }
    const Library& library() const { return library_; }
    const EngineOptions& options() const { return options_; }

    // Loads (or returns the cached) template. Throws TemplateDoesNotExist for
    // unknown names and names that leave the template directories, and
    // TemplateSyntaxError for malformed templates.
    std::shared_ptr<const Template> get_template(std::string_view name) const;
    // The first of several names that exists (Django's select_template).
    std::shared_ptr<const Template> select_template(std::span<const std::string> names) const;
    // Compiles source text that is not cached; `name` appears in errors.
    std::shared_ptr<const Template> from_string(std::string_view source,
                                                std::string name = "<string>") const;

    std::string render(std::string_view name, const Json& context) const;

  private:
    struct Loaded {
        std::string source;
        std::filesystem::path path;  // empty for in-memory sources
        std::filesystem::file_time_type mtime{};
    };
    std::optional<Loaded> load(std::string_view name) const;
    std::shared_ptr<const Template> compile(std::string name, Loaded loaded) const;

    EngineOptions options_;
    Library library_;
    mutable std::shared_mutex cache_mutex_;
    mutable std::unordered_map<std::string, std::shared_ptr<const Template>> cache_;
};

// Python's urllib.parse.quote: percent-encodes UTF-8 bytes except letters,
// digits, "_.-~" and the characters in `safe`.
std::string url_quote(std::string_view s, std::string_view safe = "/");

}  // namespace famigo::web::tmpl
