#include "cache/memcached/connection_pool.hpp"

#include <cstring>

#include "core/log.hpp"

namespace famigo::cache::mc {

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Outcome classify(memcached_return_t rc) {
    switch (rc) {
        case MEMCACHED_SUCCESS:
        case MEMCACHED_STORED:
        case MEMCACHED_DELETED:
        case MEMCACHED_END:
        case MEMCACHED_BUFFERED:
            return Outcome::Ok;
        case MEMCACHED_NOTFOUND:
        case MEMCACHED_NOTSTORED:
        case MEMCACHED_DATA_EXISTS:
            return Outcome::Absent;
        case MEMCACHED_E2BIG:
        case MEMCACHED_CLIENT_ERROR:
        case MEMCACHED_SERVER_ERROR:  // "object too large", "out of memory storing object"
        case MEMCACHED_SERVER_MEMORY_ALLOCATION_FAILURE:
        case MEMCACHED_BAD_KEY_PROVIDED:
        case MEMCACHED_INVALID_ARGUMENTS:
        case MEMCACHED_MEMORY_ALLOCATION_FAILURE:
            return Outcome::Refused;
        case MEMCACHED_SERVER_TEMPORARILY_DISABLED:
        case MEMCACHED_SERVER_MARKED_DEAD:
            return Outcome::HandleBackoff;
        default:
            return Outcome::ServerDown;
    }
}

ServerHealth::ServerHealth(const std::vector<MemcachedServer>& servers,
                           std::chrono::milliseconds retry_after)
    : retry_after_ms_(retry_after.count()) {
    for (const auto& server : servers) {
        auto state = std::make_unique<State>();
        state->host = server.host;
        state->port = server.port;
        state->name = server.host + ":" + std::to_string(server.port);
        servers_.push_back(std::move(state));
    }
}

bool ServerHealth::try_use(std::size_t index) {
    auto& dead_until = servers_[index]->dead_until;
    std::int64_t until = dead_until.load(std::memory_order_relaxed);
    if (until == 0) return true;
    std::int64_t now = steady_ms();
    if (until > now) return false;
    return dead_until.compare_exchange_strong(until, now + retry_after_ms_);
}

void ServerHealth::failed(std::size_t index, memcached_return_t rc, const memcached_st* handle) {
    State& s = *servers_[index];
    std::int64_t before = s.dead_until.exchange(steady_ms() + retry_after_ms_);
    if (before == 0) {
        std::string why =
            handle ? memcached_last_error_message(handle) : memcached_strerror(nullptr, rc);
        log::warn("memcached server " + s.name + " failed (" + why + "); its keys are misses for " +
                  std::to_string(retry_after_ms_) + " ms, then it is tried again");
    }
}

void ServerHealth::succeeded(std::size_t index) {
    State& s = *servers_[index];
    if (s.dead_until.load(std::memory_order_relaxed) == 0) return;
    if (s.dead_until.exchange(0) != 0) log::info("memcached server " + s.name + " is back");
}

std::optional<std::size_t> ServerHealth::index_of(const char* host, in_port_t port) const {
    if (!host) return std::nullopt;
    for (std::size_t i = 0; i < servers_.size(); ++i)
        if (servers_[i]->port == port && servers_[i]->host == host) return i;
    return std::nullopt;
}

std::size_t ServerHealth::dead_count() const {
    std::size_t n = 0;
    for (const auto& server : servers_) n += server->dead_until.load() != 0 ? 1 : 0;
    return n;
}

namespace {

void behave(memcached_st* handle, memcached_behavior_t flag, std::uint64_t value,
            const char* name) {
    if (memcached_behavior_set(handle, flag, value) != MEMCACHED_SUCCESS)
        throw ConfigError(std::string("memcached: cannot set ") + name + ": " +
                          memcached_last_error_message(handle));
}

}  // namespace

HandlePool::HandlePool(const MemcachedOptions& options)
    : prototype_(memcached_create(nullptr)), limit_(std::max(1u, options.pool_size)) {
    if (!prototype_) throw Error("memcached: cannot create a client handle");
    try {
        for (const auto& server : options.servers)
            if (memcached_server_add(prototype_, server.host.c_str(), server.port) !=
                MEMCACHED_SUCCESS)
                throw ConfigError("memcached: bad server " + server.host + ":" +
                                  std::to_string(server.port) + ": " +
                                  memcached_last_error_message(prototype_));
        // Ketama (MD5 points on a ring, weighted by nothing): adding a server
        // remaps only the keys that land on its new points.
        behave(prototype_, MEMCACHED_BEHAVIOR_DISTRIBUTION,
               MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA, "ketama distribution");
        behave(prototype_, MEMCACHED_BEHAVIOR_KETAMA_HASH, MEMCACHED_HASH_MD5, "ketama hash");
        // Non-blocking sockets so that connect and poll timeouts apply.
        behave(prototype_, MEMCACHED_BEHAVIOR_NO_BLOCK, 1, "no_block");
        behave(prototype_, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1, "tcp_nodelay");
        behave(prototype_, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT,
               std::uint64_t(options.connect_timeout.count()), "connect timeout");
        behave(prototype_, MEMCACHED_BEHAVIOR_POLL_TIMEOUT,
               std::uint64_t(options.read_timeout.count()), "poll timeout");
        behave(prototype_, MEMCACHED_BEHAVIOR_RCV_TIMEOUT,
               std::uint64_t(options.read_timeout.count()) * 1000, "receive timeout");
        behave(prototype_, MEMCACHED_BEHAVIOR_SND_TIMEOUT,
               std::uint64_t(options.read_timeout.count()) * 1000, "send timeout");
        // Our ServerHealth decides when to retry. libmemcached's own back-off
        // is per handle and counts whole seconds: after a server came back,
        // each handle would go on failing for up to two seconds. A timeout
        // limit it never reaches turns it off.
        behave(prototype_, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 0, "retry timeout");
        behave(prototype_, MEMCACHED_BEHAVIOR_SERVER_TIMEOUT_LIMIT, 1u << 30,
               "server timeout limit");
        behave(prototype_, MEMCACHED_BEHAVIOR_REMOVE_FAILED_SERVERS, 0, "no auto-eject");
    } catch (...) {
        memcached_free(prototype_);
        throw;
    }
}

HandlePool::~HandlePool() {
    for (auto* handle : all_) memcached_free(handle);
    memcached_free(prototype_);
}

HandlePool::Lease HandlePool::acquire(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (idle_.empty() && all_.size() < limit_) {
        memcached_st* handle = memcached_clone(nullptr, prototype_);
        if (handle) {
            all_.push_back(handle);
            return Lease(this, handle);
        }
    }
    if (!freed_.wait_for(lock, wait, [this] { return !idle_.empty(); }))
        return Lease(this, nullptr);
    memcached_st* handle = idle_.back();
    idle_.pop_back();
    return Lease(this, handle);
}

void HandlePool::release(memcached_st* handle) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(handle);
    }
    freed_.notify_one();
}

}  // namespace famigo::cache::mc
