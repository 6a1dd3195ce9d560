#include "cache/memory/lru.hpp"

#include <algorithm>

namespace famigo::cache::memory {

std::size_t value_size(const Value& value) {
    if (const auto* s = std::get_if<std::string>(&value)) return s->size();
    const auto& object = std::get<std::shared_ptr<const CachedObject>>(value);
    return object ? object->memory_size() : 0;
}

ShardedLru::ShardedLru(std::size_t max_bytes, unsigned shards, std::function<std::int64_t()> now_ms)
    : budget_(max_bytes / std::max(1u, shards)), now_ms_(std::move(now_ms)) {
    shards_.reserve(std::max(1u, shards));
    for (unsigned i = 0; i < std::max(1u, shards); ++i)
        shards_.push_back(std::make_unique<Shard>());
}

ShardedLru::Shard& ShardedLru::shard_for(std::string_view key) {
    // The index hashes the same key again; this hash only picks the shard, so
    // its high bits are used to keep the two choices independent.
    std::size_t h = std::hash<std::string_view>{}(key);
    return *shards_[(h >> 40) % shards_.size()];
}

std::int64_t ShardedLru::deadline(Expiry expiry) const {
    return expiry.forever ? 0 : now_ms_() + expiry.duration.count();
}

std::list<ShardedLru::Entry>::iterator ShardedLru::lookup(Shard& shard, std::string_view key,
                                                          std::int64_t now) {
    auto found = shard.index.find(key);
    if (found == shard.index.end()) return shard.order.end();
    auto it = found->second;
    if (it->expires_ms != 0 && it->expires_ms <= now) {
        remove(shard, it);
        return shard.order.end();
    }
    if (it != shard.order.begin()) shard.order.splice(shard.order.begin(), shard.order, it);
    return it;
}

void ShardedLru::remove(Shard& shard, std::list<Entry>::iterator it) {
    shard.bytes -= it->bytes;
    shard.index.erase(std::string_view(it->key));
    shard.order.erase(it);
}

void ShardedLru::make_room(Shard& shard, std::size_t needed, std::int64_t now) {
    while (!shard.order.empty() && shard.bytes + needed > budget_) {
        auto last = std::prev(shard.order.end());
        // An expired entry at the tail is not an eviction: it was dead anyway.
        if (last->expires_ms == 0 || last->expires_ms > now) ++shard.evictions;
        remove(shard, last);
    }
}

bool ShardedLru::store(std::string_view key, Value value, Expiry expiry, Mode mode) {
    const std::size_t bytes = key.size() + value_size(value) + kEntryOverhead;
    Shard& shard = shard_for(key);
    const std::int64_t now = now_ms_();
    std::lock_guard lock(shard.mutex);
    auto it = lookup(shard, key, now);
    if (it != shard.order.end()) {
        if (mode == Mode::Add) return false;
        remove(shard, it);
    }
    if (bytes > budget_) return false;  // memcached too refuses items over its limit
    make_room(shard, bytes, now);
    shard.order.push_front(Entry{std::string(key), std::move(value), deadline(expiry), bytes});
    shard.index.emplace(std::string_view(shard.order.front().key), shard.order.begin());
    shard.bytes += bytes;
    return true;
}

bool ShardedLru::find(std::string_view key, const std::function<void(const Value&)>& use) {
    Shard& shard = shard_for(key);
    const std::int64_t now = now_ms_();
    std::lock_guard lock(shard.mutex);
    auto it = lookup(shard, key, now);
    if (it == shard.order.end()) return false;
    use(it->value);
    return true;
}

std::shared_ptr<const CachedObject> ShardedLru::find_object(std::string_view key) {
    Shard& shard = shard_for(key);
    const std::int64_t now = now_ms_();
    std::lock_guard lock(shard.mutex);
    auto it = lookup(shard, key, now);
    if (it == shard.order.end()) return nullptr;
    if (const auto* object = std::get_if<std::shared_ptr<const CachedObject>>(&it->value))
        return *object;
    return nullptr;
}

std::optional<std::string> ShardedLru::find_string(std::string_view key) {
    std::optional<std::string> out;
    find(key, [&out](const Value& value) {
        if (const auto* s = std::get_if<std::string>(&value)) out = *s;
    });
    return out;
}

bool ShardedLru::erase(std::string_view key) {
    Shard& shard = shard_for(key);
    const std::int64_t now = now_ms_();
    std::lock_guard lock(shard.mutex);
    auto it = lookup(shard, key, now);
    if (it == shard.order.end()) return false;
    remove(shard, it);
    return true;
}

bool ShardedLru::touch(std::string_view key, Expiry expiry) {
    Shard& shard = shard_for(key);
    const std::int64_t now = now_ms_();
    std::lock_guard lock(shard.mutex);
    auto it = lookup(shard, key, now);
    if (it == shard.order.end()) return false;
    it->expires_ms = deadline(expiry);
    return true;
}

std::optional<std::uint64_t> ShardedLru::update_counter(
    std::string_view key, const std::function<std::uint64_t(const std::string&)>& change) {
    Shard& shard = shard_for(key);
    const std::int64_t now = now_ms_();
    std::lock_guard lock(shard.mutex);
    auto it = lookup(shard, key, now);
    if (it == shard.order.end()) return std::nullopt;
    auto* text = std::get_if<std::string>(&it->value);
    if (!text)
        throw NotANumber("cache key '" + std::string(key) + "' holds an object, not a number");
    std::uint64_t next = change(*text);
    std::string digits = std::to_string(next);
    shard.bytes = shard.bytes - text->size() + digits.size();
    it->bytes = it->bytes - text->size() + digits.size();
    *text = std::move(digits);
    return next;
}

void ShardedLru::clear() {
    for (auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        shard->index.clear();
        shard->order.clear();
        shard->bytes = 0;
    }
}

std::size_t ShardedLru::bytes() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        total += shard->bytes;
    }
    return total;
}

std::size_t ShardedLru::items() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        total += shard->order.size();
    }
    return total;
}

std::uint64_t ShardedLru::evictions() const {
    std::uint64_t total = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        total += shard->evictions;
    }
    return total;
}

}  // namespace famigo::cache::memory
