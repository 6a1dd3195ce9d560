// Routes: Django-style path patterns with typed parameters, a name for each
// route, and reverse() to build a URL from a name. Patterns look like
// "/app/<slug:slug>/", "/applist/<int:id>/", "/static/<path:file>"; the
// converters are str (no '/'), int, slug ([-A-Za-z0-9_]+) and path (the rest).
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::http {

using Handler = std::function<void(Request&, Response&)>;

// Where a view runs. Inline views answer on the I/O thread and must not block
// (static files, cache hits, health); Pool views may block and run on the
// bounded worker pool.
enum class Execution { Inline, Pool };

// A set of methods; GET routes answer HEAD too.
enum MethodMask : unsigned {
    kGet = 1u << unsigned(Method::Get),
    kHead = 1u << unsigned(Method::Head),
    kPost = 1u << unsigned(Method::Post),
    kPut = 1u << unsigned(Method::Put),
    kDelete = 1u << unsigned(Method::Delete),
    kPatch = 1u << unsigned(Method::Patch),
    kOptions = 1u << unsigned(Method::Options),
};

struct Route {
    enum class Converter { Literal, Str, Int, Slug, Path };
    struct Segment {
        Converter converter;
        std::string text;  // the literal, or the parameter name
    };

    std::string name;
    std::string pattern;
    unsigned methods;
    Handler handler;
    Execution execution;
    std::vector<Segment> segments;  // split on '/', the empty first piece dropped
    bool trailing_slash;
};

class Router {
  public:
    // Throws famigo::Error for a malformed pattern or a duplicate name.
    Route& add(std::string name, std::string pattern, Handler handler,
               Execution execution = Execution::Pool, unsigned methods = kGet | kHead);

    struct Match {
        const Route* route = nullptr;
        bool method_not_allowed = false;  // the path matched, the method did not
        unsigned allowed = 0;             // methods the path allows, for 405's Allow
    };
    // Matches a raw (percent-encoded) path; fills params with decoded values.
    Match match(Method method, std::string_view path, RouteParams& params) const;

    // Builds the path for a named route; throws famigo::Error if the name is
    // unknown, a parameter is missing, or a value does not fit its converter.
    using ReverseParam = std::pair<std::string_view, std::string_view>;
    std::string reverse(std::string_view name,
                        std::initializer_list<ReverseParam> params = {}) const {
        return reverse(name, std::span<const ReverseParam>(params.begin(), params.size()));
    }
    std::string reverse(std::string_view name, std::span<const ReverseParam> params) const;
    // The route of that name, or nullptr.
    const Route* find(std::string_view name) const;

    const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

  private:
    std::vector<std::unique_ptr<Route>> routes_;
    std::unordered_map<std::string, const Route*> by_name_;
    // Routes without parameters, by their exact path, for an O(1) first look.
    std::unordered_multimap<std::string_view, const Route*> literal_;
};

std::string allowed_methods_text(unsigned mask);

}  // namespace famigo::http
