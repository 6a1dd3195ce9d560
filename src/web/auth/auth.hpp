// The auth component `serve` builds once: the session store chosen by
// session.engine, sessions, users, the login throttle, and the per-request
// view of them that views and templates use:
//
//   auto auth = web::auth::Auth::from_config(config, store, security);
//   app.use(auth->middleware);                  // last: saves modified sessions
//   if (auto user = auth->user(request)) ...    // the logged-in user, or nullopt
//   auth->session(request).set("k", 1);         // the session, created on demand
//
// Per request, the session and the user are loaded at most once, lazily, and
// kept in http::Request::extension. Nothing is loaded for requests without the
// session cookie, so anonymous visitors cost nothing and get no session, and
// nothing is loaded on an I/O thread (routes that run inline, the 404 page):
// there a request counts as anonymous.
//
// Security state (sessions on the cache engine, login throttle counters)
// lives in a cache of its own, auth.cache_url, never in cache.url with the
// pages: anonymous page traffic, however many distinct URLs it asks for,
// cannot evict a session or lift a lock-out.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cache/page/page_options.hpp"
#include "http/middleware.hpp"
#include "web/auth/hashing_gate.hpp"
#include "web/auth/options.hpp"
#include "web/auth/sessions.hpp"
#include "web/auth/throttle.hpp"
#include "web/auth/users.hpp"
#include "web/security/web_security.hpp"

namespace famigo::web::auth {

// Session keys, Django's.
inline constexpr std::string_view kUserIdKey = "_auth_user_id";
inline constexpr std::string_view kUserHashKey = "_auth_user_hash";

class Auth {
  public:
    Auth(std::unique_ptr<SessionStore> store, SessionOptions session_options,
         ThrottleOptions throttle_options, cache::Cache& cache, docstore::Store& documents,
         const security::WebSecurity& security, HashingOptions hashing = {});
    // Builds the security cache (auth.cache_url) too, and keeps it.
    static std::unique_ptr<Auth> from_config(const config::Config& config,
                                             docstore::Store& documents,
                                             const security::WebSecurity& security);
    Auth(const Auth&) = delete;
    Auth& operator=(const Auth&) = delete;

    // This request's session: loaded from the cookie on first use, or a new
    // empty one (stored only if something is put in it).
    Session& session(http::Request& request) const;
    // The logged-in user: an active user whose password hash still matches the
    // one the session was made with (a password change logs out other
    // sessions). nullopt for anonymous requests and on I/O threads.
    std::optional<User> user(const http::Request& request) const;

    // The `user` every page's template sees: {is_authenticated, username,
    // is_staff} (anonymous where user() is nullopt).
    nlohmann::json user_context(const http::Request& request) const;

    // Logs `user` in: the session gets a new id (session fixation), the user's
    // id and session hash; last_login is recorded.
    void login(http::Request& request, User& user) const;
    // Deletes the session; the cookie is expired on the way out.
    void logout(http::Request& request) const;

    // A keyed hash of the password hash (Django's get_session_auth_hash).
    std::string session_hash(const User& user) const;

    const Sessions& sessions() const { return sessions_; }
    const Users& users() const { return users_; }
    const LoginThrottle& throttle() const { return throttle_; }
    const HashingGate& hashing_gate() const { return hashing_gate_; }
    const security::WebSecurity& security() const { return security_; }
    // The security cache from_config() built (for metrics and logs); null
    // when the cache was given to the constructor.
    const cache::Cache* security_cache() const { return security_cache_.get(); }

    // Saves the request's session when modified and marks answers that
    // depend on it (Vary: Cookie, Cache-Control: private). Add it last, after
    // the page cache, so the page cache sees those headers and keeps such
    // answers out of the cache. Its before() does nothing.
    std::shared_ptr<http::Middleware> middleware;

  private:
    struct RequestState;
    // Finds or makes (loading the session from the cookie) this request's state.
    RequestState& state(const http::Request& request) const;
    RequestState* find_state(const http::Request& request) const;

    // Declared first, so it outlives the session store and the throttle using it.
    std::unique_ptr<cache::Cache> security_cache_;
    std::unique_ptr<SessionStore> store_;
    Sessions sessions_;
    HashingGate hashing_gate_;
    Users users_;
    LoginThrottle throttle_;
    const security::WebSecurity& security_;
    security::Signer hash_signer_;
};

// For the page cache (PageCacheOptions::is_anonymous): anonymous when the
// request carries no session cookie, no messages cookie and no Authorization
// header; other cookies, such as csrftoken, do not matter.
cache::AnonymousRule anonymous_rule(const SessionOptions& options);

// True when this request is being handled on the worker pool, where loading
// a session may block.
bool may_block(const http::Request& request);

}  // namespace famigo::web::auth
