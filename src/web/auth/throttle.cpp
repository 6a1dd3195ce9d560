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

// Whole seconds to wait for `ms` milliseconds, at least one.
std::chrono::seconds wait_of(std::int64_t ms) {
    return std::chrono::seconds(std::max<std::int64_t>(1, (ms + 999) / 1000));
}

}  // namespace

struct LoginThrottle::Keys {
    std::string pair, address, account, slot;
    Keys(std::string_view username, std::string_view client)
        : pair(pair_key(username, client)),
          address(address_key(client)),
          account(account_key(username)),
          slot("login-slow:" + account) {}
};

LoginThrottle::LoginThrottle(cache::Cache& cache, ThrottleOptions options, Clock clock)
    : cache_(cache), options_(options), clock_(std::move(clock)) {}

std::string LoginThrottle::account_key(std::string_view username) {
    return "login-fail:user:" + key_part(strings::to_lower(username));
}

std::string LoginThrottle::address_key(std::string_view address) {
    return "login-fail:addr:" + key_part(address.empty() ? "unknown" : address);
}

std::string LoginThrottle::pair_key(std::string_view username, std::string_view address) {
    std::string both = strings::to_lower(username);
    both += '|';
    both += address.empty() ? "unknown" : address;
    return "login-fail:pair:" + key_part(both);
}

std::int64_t LoginThrottle::now_ms() const {
    if (clock_) return clock_();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::chrono::seconds> LoginThrottle::begin(std::string_view username,
                                                         std::string_view address) const {
    Keys keys(username, address);
    // Cheap refusal first: a throttled source costs one lookup and no counting.
    std::array<std::string_view, 2> hard{keys.pair, keys.address};
    auto found = cache_.get_many(hard);
    const std::int64_t limits[] = {options_.max_failures_per_account_address,
                                   options_.max_failures_per_address};
    for (int i = 0; i < 2; ++i) {
        auto it = found.find(std::string(hard[i]));
        if (it == found.end()) continue;
        auto attempts = strings::parse_u64(it->second);
        if (attempts && std::int64_t(*attempts) >= limits[i])
            return remaining(std::string(hard[i]));
    }
    // Then the attempt is counted, atomically, before anyone looks at the
    // password: of simultaneous attempts, only those within every limit go on.
    std::uint64_t pair = count(keys.pair);
    std::uint64_t from_address = count(keys.address);
    std::uint64_t on_account = count(keys.account);
    std::optional<std::chrono::seconds> wait;
    if (std::int64_t(pair) > options_.max_failures_per_account_address)
        wait = remaining(keys.pair);
    else if (std::int64_t(from_address) > options_.max_failures_per_address)
        wait = remaining(keys.address);
    else
        wait = slow_down(keys, on_account - 1);
    if (wait) abandoned(username, address);
    return wait;
}

std::optional<std::chrono::seconds> LoginThrottle::slow_down(const Keys& keys,
                                                             std::uint64_t earlier_attempts) const {
    if (std::int64_t(earlier_attempts) < options_.account_slowdown_after) return std::nullopt;
    // The first attempt past the threshold goes on; then 1 s after the last
    // one let through, doubling each time, up to the cap.
    std::uint64_t over = earlier_attempts - std::uint64_t(options_.account_slowdown_after);
    std::int64_t cap_ms = std::int64_t(options_.account_max_delay.count()) * 1000;
    std::int64_t delay_ms =
        over == 0
            ? 0
            : (over > 40 ? cap_ms : std::min<std::int64_t>((1LL << (over - 1)) * 1000, cap_ms));
    // Counted from the last attempt let through, or before any, the window's start.
    auto last = cache_.get(keys.slot);
    std::string since = last ? *last : cache_.get(start_key(keys.account)).value_or("0");
    std::int64_t due = strings::parse_i64(since).value_or(0) + delay_ms;
    std::int64_t now = now_ms();
    if (now < due) return wait_of(due - now);
    // Of the attempts that find it due, one goes on, whichever host it
    // reaches: add() on a key naming what it follows succeeds once.
    std::string claim = keys.slot + (last ? ":after:" : ":first:") + since;
    if (!cache_.add(claim, "1", options_.window))
        return wait_of(std::max<std::int64_t>(delay_ms, 1000));
    cache_.set(keys.slot, std::to_string(now), options_.window);
    return std::nullopt;
}

std::chrono::seconds LoginThrottle::remaining(const std::string& key) const {
    auto start = cache_.get(start_key(key));
    auto since = start ? strings::parse_i64(*start) : std::nullopt;
    std::int64_t window_ms = std::int64_t(options_.window.count()) * 1000;
    std::int64_t left = since ? *since + window_ms - now_ms() : window_ms;
    return std::min(wait_of(left), options_.window);
}

std::uint64_t LoginThrottle::count(const std::string& key) const {
    if (auto n = cache_.incr(key)) return *n;
    // The first attempt opens the window; add() makes exactly one caller do so.
    if (cache_.add(key, "1", options_.window)) {
        cache_.set(start_key(key), std::to_string(now_ms()), options_.window);
        return 1;
    }
    return cache_.incr(key).value_or(1);  // another request added it meanwhile
}

void LoginThrottle::give_back(const std::string& key) const {
    cache_.decr(key);
}

void LoginThrottle::succeeded(std::string_view username, std::string_view address) const {
    Keys keys(username, address);
    cache_.del(keys.pair);
    cache_.del(start_key(keys.pair));
    give_back(keys.address);
    give_back(keys.account);
}

void LoginThrottle::abandoned(std::string_view username, std::string_view address) const {
    Keys keys(username, address);
    give_back(keys.pair);
    give_back(keys.address);
    give_back(keys.account);
}

}  // namespace famigo::web::auth
