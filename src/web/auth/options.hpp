// Configuration of sessions ([session]) and of login ([auth]), and the options
// structs the rest of this module is built from:
//   session.engine                 "cache" (default) or "store" (the document store)
//   session.cookie_name            "sessionid", Django's
//   session.age                    lifetime of a session since its last write (2 weeks)
//   auth.cache_url                 the security cache: sessions (engine cache) and
//                                  login throttling, apart from cache.url's pages
//                                  so page traffic can never evict them
//   auth.throttle_window           login attempts are counted over this window (15m)
//   auth.max_failures_per_account_address  at this many, that address is refused
//                                  for that account (5)
//   auth.max_failures_per_address  at this many, the address is refused (20)
//   auth.account_slowdown_after    past this many from all addresses, the account
//                                  takes one attempt per growing delay (50)
//   auth.account_max_delay         the longest such delay (1m)
//   auth.hashing_memory            memory password hashing may take at once (256MiB)
//   auth.hashing_wait              how long a login waits for a hashing slot (3s)
// The cookie's Secure and SameSite come from security.session_cookie_secure and
// security.cookie_samesite.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/config.hpp"

namespace famigo::web::auth {

enum class SessionEngine { Cache, Store };

struct SessionOptions {
    SessionEngine engine = SessionEngine::Cache;
    std::string cookie_name = "sessionid";
    std::chrono::seconds age{14 * 24 * 3600};  // Django's SESSION_COOKIE_AGE
};

struct ThrottleOptions {
    std::chrono::seconds window{15 * 60};
    std::int64_t max_failures_per_account_address = 5;
    std::int64_t max_failures_per_address = 20;
    std::int64_t account_slowdown_after = 50;
    std::chrono::seconds account_max_delay{60};
};

struct HashingOptions {
    std::uint64_t memory = 256 * 1024 * 1024;  // bytes
    std::chrono::milliseconds wait{3000};
};

void define_config(config::Schema& schema);
// auth.cache_url: the security cache's URL.
std::string security_cache_url(const config::Config& config);
SessionOptions session_options(const config::Config& config);
ThrottleOptions throttle_options(const config::Config& config);
HashingOptions hashing_options(const config::Config& config);

}  // namespace famigo::web::auth
