// Login throttling: failed logins are counted in the cache, per account
// ("login-fail:user:<username in lower case>") and per client address
// ("login-fail:addr:<address>"), over a fixed window that starts at the first
// failure (auth.throttle_window). At or over a limit every further attempt is
// refused, without checking the password, until the window ends; a successful
// login clears the account's counter (not the address's). Counting is atomic
// (cache add + incr), so concurrent failures on several hosts sharing
// memcached are all counted. A username that cannot be a cache key (spaces,
// control bytes, too long) is counted under a hash of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "web/auth/options.hpp"

namespace famigo::cache {
class Cache;
}

namespace famigo::web::auth {

class LoginThrottle {
  public:
    // Wall-clock unix seconds; empty: the system clock.
    using Clock = std::function<std::int64_t()>;
    LoginThrottle(cache::Cache& cache, ThrottleOptions options, Clock clock = {});

    // When this attempt must be refused: how long until the lock-out ends
    // (at least a second); nullopt when it may go on.
    std::optional<std::chrono::seconds> locked(std::string_view username,
                                               std::string_view address) const;
    void record_failure(std::string_view username, std::string_view address) const;
    void record_success(std::string_view username) const;

    // The counters' cache keys (for tests and operators clearing a lock-out).
    static std::string account_key(std::string_view username);
    static std::string address_key(std::string_view address);

    const ThrottleOptions& options() const { return options_; }

  private:
    void count(const std::string& key) const;
    std::chrono::seconds remaining(const std::string& key) const;
    std::int64_t now() const;

    cache::Cache& cache_;
    ThrottleOptions options_;
    Clock clock_;
};

}  // namespace famigo::web::auth
