#include "web/auth/throttle.hpp"

#include <algorithm>
#include <array>

#include "cache/cache.hpp"
#include "core/strings.hpp"
#include "web/security/crypto.hpp"

namespace famigo::web::auth {
namespace {

// Room for the cache's "prefix:version:" before memcached's 250 bytes.
constexpr std::size_t kMaxPlainPart = 160;

bool plain_key_part(std::string_view text) {
    if (text.empty() || text.size() > kMaxPlainPart) return false;
    for (unsigned char c : text)
        if (c <= 0x20 || c >= 0x7F) return false;
    return true;
}

// The text itself when it can be part of a key, else "#" + a hex hash of it.
std::string key_part(std::string_view text) {
    if (plain_key_part(text)) return std::string(text);
    auto digest = security::hmac_sha256("login-throttle", text);
    return "#" + security::to_hex(security::as_view(digest));
}

std::string start_key(const std::string& key) {
    return key + ":start";
}

}  // namespace

LoginThrottle::LoginThrottle(cache::Cache& cache, ThrottleOptions options, Clock clock)
    : cache_(cache), options_(options), clock_(std::move(clock)) {}

std::string LoginThrottle::account_key(std::string_view username) {
    return "login-fail:user:" + key_part(strings::to_lower(username));
}

std::string LoginThrottle::address_key(std::string_view address) {
    return "login-fail:addr:" + key_part(address.empty() ? "unknown" : address);
}

std::int64_t LoginThrottle::now() const {
    if (clock_) return clock_();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::chrono::seconds> LoginThrottle::locked(std::string_view username,
                                                          std::string_view address) const {
    const std::string keys[] = {account_key(username), address_key(address)};
    const std::int64_t limits[] = {options_.max_failures_per_account,
                                   options_.max_failures_per_address};
    std::array<std::string_view, 2> views{keys[0], keys[1]};
    auto found = cache_.get_many(views);
    std::optional<std::chrono::seconds> wait;
    for (int i = 0; i < 2; ++i) {
        auto it = found.find(keys[i]);
        if (it == found.end()) continue;
        auto failures = strings::parse_u64(it->second);
        if (!failures || std::int64_t(*failures) < limits[i]) continue;
        auto left = remaining(keys[i]);
        if (!wait || left > *wait) wait = left;
    }
    return wait;
}

std::chrono::seconds LoginThrottle::remaining(const std::string& key) const {
    auto start = cache_.get(start_key(key));
    auto since = start ? strings::parse_i64(*start) : std::nullopt;
    std::int64_t left = options_.window.count();
    if (since) left = *since + options_.window.count() - now();
    return std::chrono::seconds(std::clamp<std::int64_t>(left, 1, options_.window.count()));
}

void LoginThrottle::count(const std::string& key) const {
    // The first failure opens the window; add() makes exactly one caller do so.
    if (cache_.incr(key)) return;
    if (cache_.add(key, "1", options_.window)) {
        cache_.set(start_key(key), std::to_string(now()), options_.window);
        return;
    }
    cache_.incr(key);  // another request added it meanwhile
}

void LoginThrottle::record_failure(std::string_view username, std::string_view address) const {
    count(account_key(username));
    count(address_key(address));
}

void LoginThrottle::record_success(std::string_view username) const {
    std::string key = account_key(username);
    cache_.del(key);
    cache_.del(start_key(key));
}

}  // namespace famigo::web::auth
