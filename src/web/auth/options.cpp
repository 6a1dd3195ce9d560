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
              "login attempts are counted over this window, which starts at the first; a "
              "throttled address waits until it ends",
              at_least_a_second})
        .add({"auth.max_failures_per_account_address", Kind::Integer, "5",
              "failed logins for one username from one client address within the window before "
              "that address gets 429 for that username",
              config::positive})
        .add({"auth.max_failures_per_address", Kind::Integer, "20",
              "failed logins from one client address within the window before further attempts "
              "get 429",
              config::positive})
        .add({"auth.account_slowdown_after", Kind::Integer, "50",
              "failed logins for one username, from all addresses, within the window before the "
              "account takes one attempt per growing delay (1s, 2s, 4s...), never a hard lock",
              config::positive})
        .add({"auth.account_max_delay", Kind::DurationMs, "1m",
              "the longest delay between attempts at a slowed-down account", at_least_a_second})
        .add({"auth.hashing_memory", Kind::Size, "256MiB",
              "memory password hashing may take at once: simultaneous password checks are this "
              "divided by security.password_mem_limit (at least one); more wait",
              config::positive})
        .add({"auth.hashing_wait", Kind::DurationMs, "3s",
              "how long a login waits for a password hashing slot before it gets 503 with "
              "Retry-After",
              config::not_negative});
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
    options.max_failures_per_account_address =
        config.integer("auth.max_failures_per_account_address");
    options.max_failures_per_address = config.integer("auth.max_failures_per_address");
    options.account_slowdown_after = config.integer("auth.account_slowdown_after");
    options.account_max_delay = seconds_of(config, "auth.account_max_delay");
    return options;
}

HashingOptions hashing_options(const config::Config& config) {
    HashingOptions options;
    options.memory = std::uint64_t(config.integer("auth.hashing_memory"));
    options.wait = std::chrono::milliseconds(config.integer("auth.hashing_wait"));
    return options;
}

}  // namespace famigo::web::auth
