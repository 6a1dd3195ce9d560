#include "http/router.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"

namespace famigo::http {
namespace {

bool is_slug_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

bool fits(Route::Converter converter, std::string_view value) {
    if (value.empty()) return false;
    switch (converter) {
        case Route::Converter::Int:
            if (value.size() > 18) return false;
            for (char c : value)
                if (c < '0' || c > '9') return false;
            return true;
        case Route::Converter::Slug:
            for (char c : value)
                if (!is_slug_char(c)) return false;
            return true;
        case Route::Converter::Str:
            return value.find('/') == std::string_view::npos;
        case Route::Converter::Path:
        case Route::Converter::Literal:
            return true;
    }
    return false;
}

void append_encoded(std::string& out, std::string_view value, bool keep_slash) {
    encoding::append_percent_encoded(out, value, keep_slash ? "/" : "");
}

}  // namespace

std::string allowed_methods_text(unsigned mask) {
    std::string out;
    for (unsigned m = 0; m < unsigned(Method::Other); ++m) {
        if (!(mask & (1u << m))) continue;
        if (!out.empty()) out += ", ";
        out += method_name(Method(m));
    }
    return out;
}

Route& Router::add(std::string name, std::string pattern, Handler handler, Execution execution,
                   unsigned methods) {
    if (pattern.empty() || pattern.front() != '/')
        throw Error("route '" + name + "': pattern must start with '/': " + pattern);
    if (by_name_.count(name)) throw Error("route name used twice: " + name);
    if (methods & kGet) methods |= kHead;

    auto route = std::make_unique<Route>();
    route->name = name;
    route->pattern = pattern;
    route->methods = methods;
    route->handler = std::move(handler);
    route->execution = execution;
    route->trailing_slash = pattern.size() > 1 && pattern.back() == '/';

    std::string_view rest(pattern);
    rest.remove_prefix(1);
    if (route->trailing_slash) rest.remove_suffix(1);
    size_t param_count = 0;
    bool has_params = false;
    while (!rest.empty()) {
        size_t slash = rest.find('/');
        std::string_view piece = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (piece.size() >= 3 && piece.front() == '<' && piece.back() == '>') {
            std::string_view inner = piece.substr(1, piece.size() - 2);
            size_t colon = inner.find(':');
            std::string_view type =
                colon == std::string_view::npos ? "str" : inner.substr(0, colon);
            std::string_view param =
                colon == std::string_view::npos ? inner : inner.substr(colon + 1);
            Route::Converter converter;
            if (type == "str")
                converter = Route::Converter::Str;
            else if (type == "int")
                converter = Route::Converter::Int;
            else if (type == "slug")
                converter = Route::Converter::Slug;
            else if (type == "path")
                converter = Route::Converter::Path;
            else
                throw Error("route '" + name + "': unknown converter '" + std::string(type) + "'");
            if (converter == Route::Converter::Path && !rest.empty())
                throw Error("route '" + name + "': a path parameter must come last");
            if (++param_count > 8) throw Error("route '" + name + "': too many parameters");
            route->segments.push_back({converter, std::string(param)});
            has_params = true;
        } else {
            route->segments.push_back({Route::Converter::Literal, std::string(piece)});
        }
    }

    const Route* raw = route.get();
    routes_.push_back(std::move(route));
    by_name_.emplace(raw->name, raw);
    if (!has_params) literal_.emplace(std::string_view(raw->pattern), raw);
    return *routes_.back();
}

Router::Match Router::match(Method method, std::string_view path, RouteParams& params) const {
    Match result;
    unsigned bit = method == Method::Other ? 0u : (1u << unsigned(method));
    auto accept = [&](const Route* route) {
        result.allowed |= route->methods;
        if (route->methods & bit) {
            result.route = route;
            return true;
        }
        return false;
    };

    auto [first, last] = literal_.equal_range(path);
    for (auto it = first; it != last; ++it)
        if (accept(it->second)) return result;

    std::string decoded;
    for (const auto& route : routes_) {
        if (route->segments.empty() ||
            std::all_of(route->segments.begin(), route->segments.end(),
                        [](const auto& s) { return s.converter == Route::Converter::Literal; }))
            continue;  // literal routes were looked up above
        params.clear();
        std::string_view rest = path;
        if (rest.empty() || rest.front() != '/') continue;
        rest.remove_prefix(1);
        bool ok = true;
        for (const auto& segment : route->segments) {
            std::string_view piece;
            if (segment.converter == Route::Converter::Path) {
                piece = rest;
                if (route->trailing_slash) {
                    if (piece.empty() || piece.back() != '/') {
                        ok = false;
                        break;
                    }
                    piece.remove_suffix(1);
                }
                rest = {};
            } else {
                size_t slash = rest.find('/');
                piece = rest.substr(0, slash);
                rest =
                    slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
                if (slash == std::string_view::npos && route->trailing_slash &&
                    &segment == &route->segments.back()) {
                    ok = false;  // "/app/x" does not match "/app/<slug>/"
                    break;
                }
            }
            if (segment.converter == Route::Converter::Literal) {
                if (piece != segment.text) {
                    ok = false;
                    break;
                }
                continue;
            }
            if (!encoding::percent_decode(piece, decoded) || !fits(segment.converter, decoded)) {
                ok = false;
                break;
            }
            params.add(segment.text, decoded);
        }
        if (ok && rest.empty()) {
            // The whole path must be consumed, including a trailing slash when the pattern has one.
            bool ends_right =
                route->trailing_slash ? path.back() == '/' : path.back() != '/' || path == "/";
            if (route->segments.back().converter == Route::Converter::Path) ends_right = true;
            if (ends_right && accept(route.get())) return result;
        }
    }
    params.clear();
    result.method_not_allowed = result.allowed != 0;
    return result;
}

const Route* Router::find(std::string_view name) const {
    auto it = by_name_.find(std::string(name));
    return it == by_name_.end() ? nullptr : it->second;
}

std::string Router::reverse(std::string_view name, std::span<const ReverseParam> params) const {
    const Route* found = find(name);
    if (!found) throw Error("reverse: no route named '" + std::string(name) + "'");
    const Route& route = *found;
    std::string out;
    for (const auto& segment : route.segments) {
        out += '/';
        if (segment.converter == Route::Converter::Literal) {
            out += segment.text;
            continue;
        }
        const std::string_view* value = nullptr;
        for (const auto& [key, v] : params)
            if (key == segment.text) value = &v;
        if (!value)
            throw Error("reverse '" + std::string(name) + "': missing parameter '" + segment.text +
                        "'");
        if (!fits(segment.converter, *value))
            throw Error("reverse '" + std::string(name) + "': '" + std::string(*value) +
                        "' does not fit parameter '" + segment.text + "'");
        append_encoded(out, *value, segment.converter == Route::Converter::Path);
    }
    if (out.empty() || route.trailing_slash) out += '/';
    return out;
}

}  // namespace famigo::http
