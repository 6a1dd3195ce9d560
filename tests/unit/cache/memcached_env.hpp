// Real memcached servers for a test, started and stopped through
// tests/env/memcached on free loopback ports. When memcached is missing the
// test is skipped with a clear message, or fails under FAMIGO_REQUIRE_SERVICES=1
// (CI), as DESIGN.md asks.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace famigo::testing {

class MemcachedEnv {
  public:
    explicit MemcachedEnv(int count);
    ~MemcachedEnv();
    MemcachedEnv(const MemcachedEnv&) = delete;
    MemcachedEnv& operator=(const MemcachedEnv&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    const std::vector<std::uint16_t>& ports() const { return ports_; }
    // "memcached://127.0.0.1:p1,127.0.0.1:p2" for the given indexes (all when empty).
    std::string url(std::vector<int> which = {}) const;

    void kill(int index);
    void restart(int index);

  private:
    std::string run(const std::string& args, int* status) const;

    std::string dir_;
    std::vector<std::uint16_t> ports_;
    std::string error_;
};

bool services_required();

}  // namespace famigo::testing

// In SetUp() or a test body: skip (or fail in CI) when the servers did not start.
#define FAMIGO_REQUIRE_MEMCACHED(env)                                                        \
    do {                                                                                     \
        if (!(env).ok()) {                                                                   \
            if (::famigo::testing::services_required()) FAIL() << (env).error();             \
            GTEST_SKIP() << (env).error() << " (FAMIGO_REQUIRE_SERVICES=1 makes this fail)"; \
        }                                                                                    \
    } while (0)
