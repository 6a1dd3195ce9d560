#include "web/auth/options.hpp"

#include "cache/factory.hpp"
#include "core/error.hpp"
#include "web/security/cookies.hpp"

namespace famigo::web::auth {
namespace {

using config::Kind;

std::optional<std::string> engine_name(const config::Value& value) {
    const auto& text = std::get<std::string>(value);
    if (text != "cache" && text != "store") return "must be cache or store";
    return std::nullopt;
}

std::optional<std::string> cookie_name(const config::Value& value) {
    if (!security::is_cookie_name(std::get<std::string>(value)))
        return "must be a cookie name (letters, digits and -_.!#$%&'*+^`|~)";
    return std::nullopt;
}

// Whole seconds, at least one: cookies and memcached count in seconds.
std::optional<std::string> at_least_a_second(const config::Value& value) {
    if (std::get<std::int64_t>(value) < 1000) return "must be at least 1s";
    return std::nullopt;
}

std::optional<std::string> cache_url(const config::Value& value) {
    try {
        // Building a cache only parses the URL (as cache.url's check does).
        cache::make_cache(std::get<std::string>(value), cache::CacheSettings{});
    } catch (const famigo::Error& e) {
        return e.what();
    }
    return std::nullopt;
}

std::chrono::seconds seconds_of(const config::Config& config, std::string_view key) {
    return std::chrono::seconds(config.integer(key) / 1000);
}

}  // namespace

void define_config(config::Schema& schema) {
    schema
        .add({"session.engine", Kind::String, "cache",
              "where sessions live: cache (auth.cache_url) or store (the 'sessions' collection of "
              "store.url)",
              engine_name})
        .add({"session.cookie_name", Kind::String, "sessionid",
              "name of the signed session id cookie", cookie_name})
        .add({"session.age", Kind::DurationMs, "336h",
              "lifetime of a session since it was last written, and the cookie's Max-Age (2 "
              "weeks, Django's SESSION_COOKIE_AGE)",
              at_least_a_second})
        .add({"auth.cache_url", Kind::String, "memory://?max=64MiB",
              "the security cache: sessions (session.engine cache) and login throttling, apart "
              "from cache.url so page traffic cannot evict them; memory://?max=SIZE, or for "
              "several hosts memcached://h1:11211,... of its own (not cache.url's servers)",
              cache_url})
        .add({"auth.throttle_window", Kind::DurationMs, "15m",
              "failed logins are counted over this window; a lock-out lasts until it ends",
              at_least_a_second})
        .add({"auth.max_failures_per_account", Kind::Integer, "5",
              "failed logins for one username within the window before further attempts get 429",
              config::positive})
        .add({"auth.max_failures_per_address", Kind::Integer, "20",
              "failed logins from one client address within the window before further attempts "
              "get 429",
              config::positive});
}

std::string security_cache_url(const config::Config& config) {
    return config.str("auth.cache_url");
}

SessionOptions session_options(const config::Config& config) {
    SessionOptions options;
    options.engine =
        config.str("session.engine") == "store" ? SessionEngine::Store : SessionEngine::Cache;
    options.cookie_name = config.str("session.cookie_name");
    options.age = seconds_of(config, "session.age");
    return options;
}

ThrottleOptions throttle_options(const config::Config& config) {
    ThrottleOptions options;
    options.window = seconds_of(config, "auth.throttle_window");
    options.max_failures_per_account = config.integer("auth.max_failures_per_account");
    options.max_failures_per_address = config.integer("auth.max_failures_per_address");
    return options;
}

}  // namespace famigo::web::auth
