// The memory backend's storage: a hash table split into shards, each with its
// own lock and its own least-recently-used list, bounded in bytes. Values are
// strings or shared immutable objects (see cache::CachedObject). Expiry is
// lazy: an expired entry is dropped when it is looked at or when the LRU end
// is trimmed, so no background thread is needed.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "cache/cache.hpp"

namespace famigo::cache::memory {

using Value = std::variant<std::string, std::shared_ptr<const CachedObject>>;

// Entry bookkeeping (list node, index slot, key) counted against the bound,
// so a flood of tiny values cannot use memory unaccounted.
inline constexpr std::size_t kEntryOverhead = 96;

class ShardedLru {
  public:
    // now_ms: a monotonic clock in milliseconds (tests move it by hand).
    ShardedLru(std::size_t max_bytes, unsigned shards, std::function<std::int64_t()> now_ms);

    enum class Mode { Set, Add };
    // False when the value is larger than a shard may hold, or (Add) the key is live.
    bool store(std::string_view key, Value value, Expiry expiry, Mode mode);
    // Calls `use` with the live value under the shard's lock; false on a miss.
    bool find(std::string_view key, const std::function<void(const Value&)>& use);
    // The object under `key`; null when absent, expired or a string.
    std::shared_ptr<const CachedObject> find_object(std::string_view key);
    std::optional<std::string> find_string(std::string_view key);
    bool erase(std::string_view key);
    bool touch(std::string_view key, Expiry expiry);
    // Applies `change` to a live string value in place; nullopt when absent.
    // `change` may throw (the value is then left as it was).
    std::optional<std::uint64_t> update_counter(
        std::string_view key, const std::function<std::uint64_t(const std::string&)>& change);
    void clear();

    std::size_t bytes() const;
    std::size_t items() const;
    std::uint64_t evictions() const;
    std::size_t shard_budget() const { return budget_; }

  private:
    struct Entry {
        std::string key;
        Value value;
        std::int64_t expires_ms;  // 0: never
        std::size_t bytes;
    };
    struct Shard {
        mutable std::mutex mutex;
        std::list<Entry> order;  // most recently used first
        // Views into the entries' own keys: list nodes never move.
        std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
        std::size_t bytes = 0;
        std::uint64_t evictions = 0;
    };

    Shard& shard_for(std::string_view key);
    std::int64_t deadline(Expiry expiry) const;
    // The live entry for key, moved to the front; expired ones are removed.
    std::list<Entry>::iterator lookup(Shard& shard, std::string_view key, std::int64_t now);
    void remove(Shard& shard, std::list<Entry>::iterator it);
    void make_room(Shard& shard, std::size_t needed, std::int64_t now);

    std::vector<std::unique_ptr<Shard>> shards_;
    std::size_t budget_;  // bytes per shard
    std::function<std::int64_t()> now_ms_;
};

std::size_t value_size(const Value& value);

}  // namespace famigo::cache::memory
