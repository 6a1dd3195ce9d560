// Login throttling, after OWASP's guidance: nobody can lock out a named user,
// and no single source can guess for long. Attempts are counted in the
// security cache over a fixed window (auth.throttle_window) that starts at a
// key's first attempt:
//   per (account, client address)  at auth.max_failures_per_account_address,
//                                  that address is refused for that account
//                                  until the window ends
//   per client address             at auth.max_failures_per_address, the
//                                  address is refused for every account
//   per account, every address     past auth.account_slowdown_after, the
//                                  account takes one attempt per growing
//                                  delay (1 s, 2 s, 4 s... up to
//                                  auth.account_max_delay) from anywhere:
//                                  never a hard lock, so the owner gets in
// An attempt is counted atomically (cache add + incr) *before* the password
// is checked, so a burst of simultaneous guesses cannot slip past a limit,
// also across hosts sharing memcached. A success clears its (account,
// address) count and gives back its own; an attempt abandoned before the
// check (hashing busy) gives back all of them. A username that cannot be a
// cache key (spaces, control bytes, too long) is counted under a hash of it.
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
    // Wall-clock unix milliseconds; empty: the system clock.
    using Clock = std::function<std::int64_t()>;
    LoginThrottle(cache::Cache& cache, ThrottleOptions options, Clock clock = {});

    // Takes an attempt at `username` from `address`: nullopt when the
    // password may be checked (the attempt is then counted as a failure
    // until succeeded() or abandoned() says otherwise), else how long until
    // such an attempt may be made (at least a second); nothing is counted.
    std::optional<std::chrono::seconds> begin(std::string_view username,
                                              std::string_view address) const;
    // The password was right: the (account, address) count is cleared and
    // the attempt no longer counts for the address or the account.
    void succeeded(std::string_view username, std::string_view address) const;
    // The password was never checked: the attempt no longer counts.
    void abandoned(std::string_view username, std::string_view address) const;

    // The counters' cache keys (for tests and operators clearing a lock-out).
    static std::string account_key(std::string_view username);
    static std::string address_key(std::string_view address);
    static std::string pair_key(std::string_view username, std::string_view address);

    const ThrottleOptions& options() const { return options_; }

  private:
    struct Keys;
    std::uint64_t count(const std::string& key) const;
    void give_back(const std::string& key) const;
    std::chrono::seconds remaining(const std::string& key) const;
    std::optional<std::chrono::seconds> slow_down(const Keys& keys,
                                                  std::uint64_t earlier_attempts) const;
    std::int64_t now_ms() const;

    cache::Cache& cache_;
    ThrottleOptions options_;
    Clock clock_;
};

}  // namespace famigo::web::auth
