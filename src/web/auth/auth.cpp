#include "web/auth/auth.hpp"

#include "cache/factory.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "http/router.hpp"
#include "web/security/crypto.hpp"
#include "web/security/messages.hpp"

namespace famigo::web::auth {

struct Auth::RequestState {
    Session session;
    bool user_loaded = false;
    std::optional<User> user;
};

namespace {

security::CookieOptions session_cookie(const security::SecurityOptions& security) {
    security::CookieOptions cookie;
    cookie.secure = security.session_cookie_secure;
    cookie.same_site = security.cookie_samesite;
    cookie.http_only = true;
    return cookie;
}

void add_vary_cookie(http::Response& response) {
    auto vary = response.header("Vary");
    if (!vary) {
        response.set_header("Vary", "Cookie");
        return;
    }
    for (auto part : strings::split(*vary, ','))
        if (strings::iequals(strings::trim(part), "Cookie")) return;
    response.set_header("Vary", std::string(*vary) + ", Cookie");
}

// Its before() does nothing (sessions load lazily), so it never leaves the I/O thread.
class SessionMiddleware : public http::Middleware {
  public:
    using Finish = std::function<void(http::Request&, http::Response&)>;
    explicit SessionMiddleware(Finish finish) : finish_(std::move(finish)) {}
    bool runs_inline(const http::Request&) const override { return true; }
    void after(http::Request& request, http::Response& response) override {
        finish_(request, response);
    }

  private:
    Finish finish_;
};

}  // namespace

bool may_block(const http::Request& request) {
    return request.route && request.route->execution == http::Execution::Pool;
}

Auth::Auth(std::unique_ptr<SessionStore> store, SessionOptions session_options,
           ThrottleOptions throttle_options, cache::Cache& cache, docstore::Store& documents,
           const security::WebSecurity& security, HashingOptions hashing)
    : store_(std::move(store)),
      sessions_(*store_, security.signer("sessions"), std::move(session_options),
                session_cookie(security.options)),
      hashing_gate_(hashing.memory, security.options.password_mem_limit, hashing.wait),
      users_(documents, security.passwords, &hashing_gate_),
      throttle_(cache, throttle_options),
      security_(security),
      hash_signer_(security.signer("auth.session_hash")) {
    middleware = std::make_shared<SessionMiddleware>(
        [this](http::Request& request, http::Response& response) {
            RequestState* st = find_state(request);
            if (!st) return;
            sessions_.save(st->session, response);
            // The answer depends on who asks: keep it out of shared caches.
            add_vary_cookie(response);
            if (!response.header("Cache-Control")) response.set_header("Cache-Control", "private");
        });
}

std::unique_ptr<Auth> Auth::from_config(const config::Config& config, docstore::Store& documents,
                                        const security::WebSecurity& security) {
    std::unique_ptr<cache::Cache> own_cache;
    try {
        own_cache = cache::make_cache(security_cache_url(config), cache::cache_settings(config));
    } catch (const ConfigError& e) {
        throw ConfigError("config key 'auth.cache_url' (from " + config.origin("auth.cache_url") +
                          "): " + e.what());
    }
    // A memcached page cache means several hosts; an in-process security cache
    // then keeps sessions and throttle counts per host.
    if (config.str("cache.url").starts_with("memcached://") && !own_cache->blocking())
        log::warn(
            "auth.cache_url is an in-process cache while cache.url is memcached: with several "
            "hosts, sessions and login throttling are per host; give auth.cache_url a memcached "
            "pool of its own");
    cache::Cache& cache = *own_cache;
    SessionOptions options = session_options(config);
    std::unique_ptr<SessionStore> store;
    if (options.engine == SessionEngine::Store)
        store = std::make_unique<DocumentSessionStore>(documents, options.age);
    else
        store = std::make_unique<CacheSessionStore>(cache, options.age);
    auto auth =
        std::make_unique<Auth>(std::move(store), std::move(options), throttle_options(config),
                               cache, documents, security, hashing_options(config));
    auth->security_cache_ = std::move(own_cache);
    return auth;
}

Auth::RequestState* Auth::find_state(const http::Request& request) const {
    return static_cast<RequestState*>(request.extension.get());
}

Auth::RequestState& Auth::state(const http::Request& request) const {
    if (auto* st = find_state(request)) return *st;
    auto st = std::make_shared<RequestState>();
    st->session = sessions_.load(request);
    request.extension = st;
    return *st;
}

Session& Auth::session(http::Request& request) const {
    return state(request).session;
}

std::optional<User> Auth::user(const http::Request& request) const {
    RequestState* st = find_state(request);
    if (!st) {
        if (!may_block(request) || !security::find_cookie(request, sessions_.options().cookie_name))
            return std::nullopt;
        st = &state(request);
    }
    if (st->user_loaded) return st->user;
    st->user_loaded = true;
    const nlohmann::json* id = st->session.find(kUserIdKey);
    if (!id || !id->is_string()) return std::nullopt;
    auto user = users_.get(id->get<std::string>());
    const nlohmann::json* hash = st->session.find(kUserHashKey);
    bool valid = user && user->is_active && hash && hash->is_string() &&
                 security::constant_time_equal(hash->get<std::string>(), session_hash(*user));
    if (!valid) {
        sessions_.flush(st->session);  // a deleted user, or the password changed: log out
        return std::nullopt;
    }
    st->user = std::move(user);
    return st->user;
}

nlohmann::json Auth::user_context(const http::Request& request) const {
    auto found = user(request);
    return {
        {"is_authenticated", found.has_value()},
        {"username", found ? found->username : ""},
        {"is_staff", found && found->is_staff},
    };
}

void Auth::login(http::Request& request, User& user) const {
    RequestState& st = state(request);
    const nlohmann::json* previous = st.session.find(kUserIdKey);
    // Someone else's session on this browser: start from nothing (Django does).
    if (previous && *previous != user.id) sessions_.flush(st.session);
    sessions_.cycle_id(st.session);
    st.session.set(std::string(kUserIdKey), user.id);
    st.session.set(std::string(kUserHashKey), session_hash(user));
    users_.record_login(user);
    st.user = user;
    st.user_loaded = true;
}

void Auth::logout(http::Request& request) const {
    RequestState& st = state(request);
    sessions_.flush(st.session);
    st.user.reset();
    st.user_loaded = true;
}

std::string Auth::session_hash(const User& user) const {
    return hash_signer_.signature(user.password);
}

cache::AnonymousRule anonymous_rule(const SessionOptions& options) {
    return [name = options.cookie_name](const http::Request& request) {
        return !security::find_cookie(request, name) &&
               !security::find_cookie(request, security::kMessagesCookie) &&
               !request.header("Authorization");
    };
}

}  // namespace famigo::web::auth
