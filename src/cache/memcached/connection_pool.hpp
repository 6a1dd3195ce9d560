// Inside the memcached backend only (it names libmemcached types): the pool of
// libmemcached handles that threads borrow for one call each (a handle is not
// thread-safe), and the table of servers we consider dead. The table is ours
// rather than libmemcached's (whose back-off is per handle and counts whole
// seconds; it is switched off) so that every handle in the pool sees one truth
// and a dead server costs no connect attempt until it is due for a retry.
#pragma once

#include <libmemcached/memcached.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cache/memcached/memcached_cache.hpp"

namespace famigo::cache::mc {

std::int64_t steady_ms();

// What a libmemcached return code says about the server.
enum class Outcome {
    Ok,          // success
    Absent,      // not found / not stored / exists: an answer, the server is fine
    Refused,     // the server refused this request (too large, not a number...)
    ServerDown,  // connection, timeout or protocol failure: mark the server dead
    // This handle is still in libmemcached's own back-off from an earlier
    // failure (it counts whole seconds, per handle): a miss, but no news about
    // the server, so the shared table is left alone. Marking the server dead
    // here would make it flap for a second after it came back.
    HandleBackoff,
};
Outcome classify(memcached_return_t rc);

class ServerHealth {
  public:
    ServerHealth(const std::vector<MemcachedServer>& servers,
                 std::chrono::milliseconds retry_after);
    // Whether a call may go to the server: yes when alive; when dead, no,
    // except that once retry_dead_after has passed exactly one caller gets a
    // yes (the probe) and the others keep treating the server as dead, so a
    // dead server costs one connect attempt per period, not one per thread.
    bool try_use(std::size_t index);
    void failed(std::size_t index, memcached_return_t rc, const memcached_st* handle);
    void succeeded(std::size_t index);
    // Finds a server by name and port (for failures libmemcached reports by instance).
    std::optional<std::size_t> index_of(const char* host, in_port_t port) const;
    // Servers marked dead and not yet seen working again.
    std::size_t dead_count() const;
    std::size_t size() const { return servers_.size(); }

  private:
    struct State {
        std::string name;  // host:port, for logs
        std::string host;
        std::uint16_t port;
        std::atomic<std::int64_t> dead_until{0};  // steady ms; 0: alive
    };
    std::vector<std::unique_ptr<State>> servers_;
    std::int64_t retry_after_ms_;
};

class HandlePool {
  public:
    // Throws famigo::ConfigError when libmemcached rejects the configuration.
    explicit HandlePool(const MemcachedOptions& options);
    ~HandlePool();
    HandlePool(const HandlePool&) = delete;
    HandlePool& operator=(const HandlePool&) = delete;

    class Lease {
      public:
        Lease(HandlePool* pool, memcached_st* handle) : pool_(pool), handle_(handle) {}
        Lease(Lease&& other) noexcept : pool_(other.pool_), handle_(other.handle_) {
            other.handle_ = nullptr;
        }
        ~Lease() {
            if (handle_) pool_->release(handle_);
        }
        explicit operator bool() const { return handle_ != nullptr; }
        memcached_st* get() const { return handle_; }

      private:
        HandlePool* pool_;
        memcached_st* handle_;
    };

    // Waits up to `wait` for a free handle; an empty lease when none came.
    Lease acquire(std::chrono::milliseconds wait);

  private:
    void release(memcached_st* handle);

    memcached_st* prototype_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<memcached_st*> idle_;
    std::vector<memcached_st*> all_;
    unsigned limit_;
};

}  // namespace famigo::cache::mc
