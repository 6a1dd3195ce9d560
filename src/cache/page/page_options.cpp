#include "cache/page/page_options.hpp"

#include "core/error.hpp"

namespace famigo::cache {
namespace {

std::optional<std::string> valid_rules(const config::Value& value) {
    try {
        for (const auto& text : std::get<std::vector<std::string>>(value))
            parse_route_rule(text, "");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return std::nullopt;
}

std::chrono::milliseconds ms(const config::Config& config, const char* key) {
    return std::chrono::milliseconds(config.integer(key));
}

}  // namespace

bool anonymous_by_headers(const http::Request& request) {
    return !request.header("Cookie") && !request.header("Authorization");
}

bool valid_namespace(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

RouteRule parse_route_rule(const std::string& text, const std::string& origin) {
    auto bad = [&](const std::string& why) {
        throw ConfigError("page cache route rule '" + text + "'" +
                          (origin.empty() ? "" : " (from " + origin + ")") + ": " + why);
    };
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) bad("expected ROUTE=TTL or ROUTE=TTL@NAMESPACE");
    RouteRule rule{text.substr(0, eq), {}, "pages"};
    std::string ttl_text = text.substr(eq + 1);
    if (auto at = ttl_text.find('@'); at != std::string::npos) {
        rule.space = ttl_text.substr(at + 1);
        ttl_text.resize(at);
        if (!valid_namespace(rule.space))
            bad("namespace must be 1-64 letters, digits, '-', '_' or '.'");
    }
    // The TTL reads like any duration key: "600", "30s", "10m".
    config::Key key{"page_cache.routes", config::Kind::DurationMs, "", "", {}};
    auto value = std::get<std::int64_t>(config::parse_value(key, ttl_text, origin));
    if (value <= 0) bad("TTL must be greater than 0");
    rule.ttl = std::chrono::milliseconds(value);
    return rule;
}

void define_page_cache_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"page_cache.enabled",
              Kind::Boolean,
              "true",
              "cache whole pages of the routes that opt in, for anonymous GET/HEAD requests",
              {}})
        .add({"page_cache.default_ttl", Kind::DurationMs, "10m",
              "how long a cached page is fresh when its route names no TTL", config::positive})
        .add({"page_cache.stale_while_revalidate", Kind::DurationMs, "30s",
              "after a page goes stale, how long it is still served while one request refreshes it",
              config::not_negative})
        .add({"page_cache.stale_if_error", Kind::DurationMs, "5m",
              "after a page goes stale, how long it may replace a 5xx answer or a failed view",
              config::not_negative})
        .add({"page_cache.fill_timeout", Kind::DurationMs, "5s",
              "how long a request for a page being filled waits for that fill before running the "
              "view itself",
              config::positive})
        .add({"page_cache.max_body", Kind::Size, "512KiB",
              "pages with larger bodies are not cached", config::positive})
        .add({"page_cache.routes", Kind::StringList, "",
              "routes whose pages are cached, as ROUTE=TTL or ROUTE=TTL@NAMESPACE (added to those "
              "the code opts in)",
              valid_rules});
}

PageCacheOptions page_cache_options(const config::Config& config) {
    PageCacheOptions o;
    o.enabled = config.boolean("page_cache.enabled");
    o.default_ttl = ms(config, "page_cache.default_ttl");
    o.stale_while_revalidate = ms(config, "page_cache.stale_while_revalidate");
    o.stale_if_error = ms(config, "page_cache.stale_if_error");
    o.fill_timeout = ms(config, "page_cache.fill_timeout");
    o.max_body = std::size_t(config.integer("page_cache.max_body"));
    for (const auto& text : config.list("page_cache.routes"))
        o.routes.push_back(parse_route_rule(text, config.origin("page_cache.routes")));
    return o;
}

}  // namespace famigo::cache
