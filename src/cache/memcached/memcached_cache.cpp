#include "cache/memcached/memcached_cache.hpp"

#include <cstdlib>
#include <ctime>

#include "cache/memcached/connection_pool.hpp"

namespace famigo::cache {
namespace {

// memcached reads an expiration over 30 days as an absolute Unix time.
constexpr std::int64_t kRelativeLimitSeconds = 30 * 24 * 3600;

time_t expiration(Expiry expiry) {
    if (expiry.forever) return 0;
    std::int64_t seconds = (expiry.duration.count() + 999) / 1000;  // memcached counts seconds
    if (seconds > kRelativeLimitSeconds) return std::time(nullptr) + seconds;
    return time_t(seconds);
}

// Frees what libmemcached malloc()ed for a value.
struct FreeDeleter {
    void operator()(char* p) const { std::free(p); }
};

}  // namespace

struct MemcachedCache::Impl {
    explicit Impl(MemcachedOptions opts)
        : options(std::move(opts)),
          pool(options),
          health(options.servers, options.retry_dead_after),
          lease_wait(options.connect_timeout + options.read_timeout) {}

    MemcachedOptions options;
    mc::HandlePool pool;
    mc::ServerHealth health;
    std::chrono::milliseconds lease_wait;

    // Runs `call(handle)` against the server that owns `key`, unless that
    // server is dead; reports the outcome to the health table. A skipped or
    // failed call comes back as ServerDown, which callers treat as a miss.
    // True when `rc` from mget/fetch means failure; marks the server dead when it is.
    bool mget_failed(MemcachedCache& self, memcached_st* handle, memcached_return_t rc);

    template <class Call>
    mc::Outcome run(MemcachedCache& self, const std::string& key, Call&& call) {
        auto lease = pool.acquire(lease_wait);
        if (!lease) {
            self.count_server_error();
            return mc::Outcome::ServerDown;
        }
        std::size_t server = memcached_generate_hash(lease.get(), key.data(), key.size());
        if (server >= health.size() || !health.try_use(server)) return mc::Outcome::ServerDown;
        memcached_return_t rc = call(lease.get());
        mc::Outcome outcome = mc::classify(rc);
        switch (outcome) {
            case mc::Outcome::ServerDown:
                health.failed(server, rc, lease.get());
                self.count_server_error();
                return outcome;
            case mc::Outcome::HandleBackoff:
                self.count_server_error();
                return mc::Outcome::ServerDown;  // to the caller, a miss like any other
            default:
                health.succeeded(server);
                return outcome;
        }
    }
};

// A multi-key call reports one code for all servers; the server that broke
// is libmemcached's "last disconnect", and its own code says whether it
// really failed or this handle was only backing off.
bool MemcachedCache::Impl::mget_failed(MemcachedCache& self, memcached_st* handle,
                                       memcached_return_t rc) {
    if (mc::classify(rc) == mc::Outcome::Ok || mc::classify(rc) == mc::Outcome::Absent)
        return false;
    self.count_server_error();
    const memcached_instance_st* last = memcached_server_get_last_disconnect(handle);
    if (!last) return true;
    memcached_return_t own = memcached_server_error_return(last);
    if (mc::classify(own) != mc::Outcome::ServerDown) return true;
    if (auto i = health.index_of(memcached_server_name(last), memcached_server_port(last)))
        health.failed(*i, own, handle);
    return true;
}

MemcachedCache::MemcachedCache(KeyOptions keys, std::chrono::milliseconds default_ttl,
                               MemcachedOptions options)
    : Cache(std::move(keys), default_ttl) {
    if (options.servers.empty()) throw ConfigError("memcached: no servers given");
    impl_ = std::make_unique<Impl>(std::move(options));
}

MemcachedCache::~MemcachedCache() = default;

std::string MemcachedCache::describe() const {
    std::string out = "memcached://";
    for (std::size_t i = 0; i < impl_->options.servers.size(); ++i) {
        if (i) out += ',';
        out +=
            impl_->options.servers[i].host + ":" + std::to_string(impl_->options.servers[i].port);
    }
    return out;
}

std::size_t MemcachedCache::dead_servers() const {
    return impl_->health.dead_count();
}

std::vector<BackendMetric> MemcachedCache::backend_metrics() const {
    return {{"famigo_cache_dead_servers", "gauge",
             "memcached servers currently skipped after a failure", double(dead_servers())}};
}

std::optional<std::string> MemcachedCache::do_get(const std::string& key) {
    std::optional<std::string> out;
    impl_->run(*this, key, [&](memcached_st* h) {
        std::size_t length = 0;
        std::uint32_t flags = 0;
        memcached_return_t rc;
        std::unique_ptr<char, FreeDeleter> value(
            memcached_get(h, key.data(), key.size(), &length, &flags, &rc));
        if (rc == MEMCACHED_SUCCESS) out.emplace(value ? value.get() : "", length);
        return rc;
    });
    return out;
}

bool MemcachedCache::do_set(const std::string& key, std::string_view value, Expiry expiry) {
    return impl_->run(*this, key, [&](memcached_st* h) {
        return memcached_set(h, key.data(), key.size(), value.data(), value.size(),
                             expiration(expiry), 0);
    }) == mc::Outcome::Ok;
}

bool MemcachedCache::do_add(const std::string& key, std::string_view value, Expiry expiry) {
    return impl_->run(*this, key, [&](memcached_st* h) {
        return memcached_add(h, key.data(), key.size(), value.data(), value.size(),
                             expiration(expiry), 0);
    }) == mc::Outcome::Ok;
}

bool MemcachedCache::do_del(const std::string& key) {
    return impl_->run(*this, key, [&](memcached_st* h) {
        return memcached_delete(h, key.data(), key.size(), 0);
    }) == mc::Outcome::Ok;
}

std::optional<std::uint64_t> MemcachedCache::do_incr(const std::string& key, std::uint64_t delta,
                                                     bool up) {
    std::uint64_t value = 0;
    // The _by_key forms take a 64-bit delta; the key is its own group key.
    auto outcome = impl_->run(*this, key, [&](memcached_st* h) {
        return up ? memcached_increment_by_key(h, key.data(), key.size(), key.data(), key.size(),
                                               delta, &value)
                  : memcached_decrement_by_key(h, key.data(), key.size(), key.data(), key.size(),
                                               delta, &value);
    });
    if (outcome == mc::Outcome::Refused)
        throw NotANumber("cache value of '" + key +
                         "' is not an unsigned decimal number, so it cannot be incremented");
    if (outcome != mc::Outcome::Ok) return std::nullopt;
    return value;
}

bool MemcachedCache::do_touch(const std::string& key, Expiry expiry) {
    return impl_->run(*this, key, [&](memcached_st* h) {
        return memcached_touch(h, key.data(), key.size(), expiration(expiry));
    }) == mc::Outcome::Ok;
}

std::unordered_map<std::string, std::string> MemcachedCache::do_get_many(
    std::span<const std::string> keys) {
    std::unordered_map<std::string, std::string> out;
    auto lease = impl_->pool.acquire(impl_->lease_wait);
    if (!lease) {
        count_server_error();
        return out;
    }
    memcached_st* h = lease.get();
    // Keys on dead servers are misses: leave them out of the request.
    std::vector<const char*> ptrs;
    std::vector<std::size_t> lengths;
    std::vector<std::size_t> servers;  // asked, for the health table
    for (const auto& key : keys) {
        std::size_t server = memcached_generate_hash(h, key.data(), key.size());
        if (server < impl_->health.size() && impl_->health.try_use(server)) {
            ptrs.push_back(key.data());
            lengths.push_back(key.size());
            servers.push_back(server);
        }
    }
    if (ptrs.empty()) return out;
    memcached_return_t rc = memcached_mget(h, ptrs.data(), lengths.data(), ptrs.size());
    // With SOME_ERRORS the requests to the other servers went out: read their answers.
    if (impl_->mget_failed(*this, h, rc) && rc != MEMCACHED_SOME_ERRORS) return out;
    memcached_result_st* result;
    while ((result = memcached_fetch_result(h, nullptr, &rc)) != nullptr) {
        out.emplace(
            std::string(memcached_result_key_value(result), memcached_result_key_length(result)),
            std::string(memcached_result_value(result), memcached_result_length(result)));
        memcached_result_free(result);
    }
    // One server may fail part-way; the others' answers stand.
    if (!impl_->mget_failed(*this, h, rc))
        for (std::size_t server : servers) impl_->health.succeeded(server);
    return out;
}

void MemcachedCache::clear() {
    auto lease = impl_->pool.acquire(impl_->lease_wait);
    if (!lease) return;
    if (mc::classify(memcached_flush(lease.get(), 0)) == mc::Outcome::ServerDown)
        count_server_error();
}

}  // namespace famigo::cache
