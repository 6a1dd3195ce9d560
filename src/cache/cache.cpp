#include "cache/cache.hpp"

#include <charconv>
#include <cstdio>

namespace famigo::cache {
namespace {

constexpr std::size_t kMaxKeyBytes = 250;  // memcached's KEY_MAX_LENGTH

// The key as it can be shown in a message: printable ASCII kept, the rest \xNN,
// cut after 60 characters so a huge key does not flood the log.
std::string printable(std::string_view key) {
    std::string out;
    for (unsigned char c : key.substr(0, 60)) {
        if (c >= 0x20 && c < 0x7f && c != '\'') {
            out += char(c);
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    if (key.size() > 60) out += "...";
    return out;
}

}  // namespace

void validate_key(std::string_view full_key) {
    if (full_key.size() > kMaxKeyBytes)
        throw InvalidKey("cache key '" + printable(full_key) + "' is " +
                         std::to_string(full_key.size()) + " bytes with prefix and version; " +
                         "memcached allows at most 250");
    for (std::size_t i = 0; i < full_key.size(); ++i) {
        auto c = static_cast<unsigned char>(full_key[i]);
        if (c <= 0x20 || c == 0x7f)
            throw InvalidKey("cache key '" + printable(full_key) + "' has a " +
                             (c == ' ' ? std::string("space") : std::string("control character")) +
                             " at byte " + std::to_string(i) +
                             "; memcached keys cannot contain spaces or control characters");
    }
}

std::uint64_t parse_counter(std::string_view value, std::string_view key) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
        throw NotANumber("cache value of '" + printable(key) +
                         "' is not an unsigned decimal number, so it cannot be incremented");
    return n;
}

Cache::Cache(KeyOptions keys, std::chrono::milliseconds default_ttl)
    : keys_(std::move(keys)), default_ttl_(default_ttl) {
    key_head_ = keys_.prefix + ":" + std::to_string(keys_.version) + ":";
}

void Cache::make_key_into(std::string& out, std::string_view key) const {
    out.assign(key_head_);
    out.append(key);
    validate_key(out);
}

std::string Cache::make_key(std::string_view key) const {
    std::string out;
    make_key_into(out, key);
    return out;
}

Expiry Cache::expiry(Ttl ttl) const {
    if (ttl.is_forever()) return {true, {}};
    return {false, ttl.is_default() ? default_ttl_ : ttl.duration()};
}

std::optional<std::string> Cache::get(std::string_view key) {
    auto value = do_get(make_key(key));
    count_lookup(value.has_value());
    return value;
}

bool Cache::set(std::string_view key, std::string_view value, Ttl ttl) {
    std::string full = make_key(key);
    Expiry e = expiry(ttl);
    if (!e.forever && e.duration.count() <= 0) {
        do_del(full);  // Django: a timeout of 0 or less expires the value at once
        return true;
    }
    return do_set(full, value, e);
}

bool Cache::add(std::string_view key, std::string_view value, Ttl ttl) {
    std::string full = make_key(key);
    Expiry e = expiry(ttl);
    if (!e.forever && e.duration.count() <= 0) return !do_get(full).has_value();
    return do_add(full, value, e);
}

bool Cache::del(std::string_view key) {
    return do_del(make_key(key));
}

std::optional<std::uint64_t> Cache::incr(std::string_view key, std::uint64_t delta) {
    return do_incr(make_key(key), delta, true);
}

std::optional<std::uint64_t> Cache::decr(std::string_view key, std::uint64_t delta) {
    return do_incr(make_key(key), delta, false);
}

bool Cache::touch(std::string_view key, Ttl ttl) {
    std::string full = make_key(key);
    Expiry e = expiry(ttl);
    if (!e.forever && e.duration.count() <= 0) return do_del(full);
    return do_touch(full, e);
}

std::unordered_map<std::string, std::string> Cache::get_many(
    std::span<const std::string_view> keys) {
    std::vector<std::string> full;
    full.reserve(keys.size());
    for (auto key : keys) full.push_back(make_key(key));
    auto found = do_get_many(full);
    std::unordered_map<std::string, std::string> out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto it = found.find(full[i]);
        count_lookup(it != found.end());
        if (it != found.end()) out.emplace(std::string(keys[i]), std::move(it->second));
    }
    return out;
}

std::unordered_map<std::string, std::string> Cache::do_get_many(std::span<const std::string> keys) {
    std::unordered_map<std::string, std::string> out;
    for (const auto& key : keys)
        if (auto value = do_get(key)) out.emplace(key, std::move(*value));
    return out;
}

std::vector<std::string> Cache::set_many(
    std::span<const std::pair<std::string_view, std::string_view>> items, Ttl ttl) {
    // Validate every key before storing any, so a bad key stores nothing.
    std::vector<std::string> full;
    full.reserve(items.size());
    for (const auto& [key, value] : items) full.push_back(make_key(key));
    Expiry e = expiry(ttl);
    std::vector<std::string> failed;
    for (std::size_t i = 0; i < items.size(); ++i) {
        bool stored = true;
        if (!e.forever && e.duration.count() <= 0)
            do_del(full[i]);
        else
            stored = do_set(full[i], items[i].second, e);
        if (!stored) failed.emplace_back(items[i].first);
    }
    return failed;
}

}  // namespace famigo::cache
