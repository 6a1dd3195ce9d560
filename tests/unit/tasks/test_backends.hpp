// The two task brokers the tests run on: SQLite on a scratch file, and Redis
// on a real redis-server started by tests/env/redis (one per test process;
// each test starts from an empty database). Shared by the contract suite and
// the reliability drills.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "service_env.hpp"
#include "tasks/factory.hpp"

// Where scratch files and the servers' data go: /tmp, or for the drills
// (FAMIGO_TASKS_SCRATCH) /dev/shm, as 10,000 tasks with an fsync per commit
// would take minutes on a slow disk. A SIGKILL drill loses nothing to a
// missing fsync anyway (a killed process's writes are in the page cache);
// only a power loss would, which no test here simulates.
#ifndef FAMIGO_TASKS_SCRATCH
#define FAMIGO_TASKS_SCRATCH "/tmp"
#endif

namespace famigo::tasks {

struct SqliteBackend {
    static constexpr const char* kName = "sqlite";
    std::filesystem::path dir;
    std::string setup() {
        std::string pattern = std::string(FAMIGO_TASKS_SCRATCH) + "/famigo-tasks-XXXXXX";
        if (!mkdtemp(pattern.data())) return "mkdtemp failed";
        dir = pattern;
        return {};
    }
    std::string url() const { return "sqlite://" + (dir / "tasks.db").string(); }
    std::unique_ptr<Broker> make() {
        BrokerSettings s;
        s.poll_interval = std::chrono::milliseconds(20);
        return make_broker(url(), s);
    }
    ~SqliteBackend() {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
};

struct RedisBackend {
    static constexpr const char* kName = "redis";
    // One server for the whole suite; each test starts from an empty database.
    static testing::ServiceEnv& env() {
        static testing::ServiceEnv server("redis", 1, FAMIGO_TASKS_SCRATCH);
        return server;
    }
    std::string setup() {
        if (!env().ok()) return env().error();
        make()->purge("x");  // connects
        std::string cmd = "redis-cli -p " + std::to_string(env().port()) + " FLUSHALL >/dev/null";
        if (std::system(cmd.c_str()) != 0) return "redis-cli FLUSHALL failed";
        return {};
    }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(env().port()) + "/0"; }
    std::unique_ptr<Broker> make() {
        BrokerSettings s;
        s.poll_interval = std::chrono::milliseconds(20);
        return make_broker(url(), s);
    }
};

// A test on one backend: SetUp() starts it (skipping, or failing under
// FAMIGO_REQUIRE_SERVICES=1, when its server is missing) and opens broker_.
template <class Backend>
class BackendTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error = backend_.setup();
        if (!error.empty()) {
            if (testing::services_required()) FAIL() << error;
            GTEST_SKIP() << error << " (FAMIGO_REQUIRE_SERVICES=1 makes this fail)";
        }
        broker_ = backend_.make();
    }
    Broker& broker() { return *broker_; }

    Backend backend_;
    std::unique_ptr<Broker> broker_;
};

struct BackendName {
    template <class T>
    static std::string GetName(int) {
        return T::kName;
    }
};

using Backends = ::testing::Types<SqliteBackend, RedisBackend>;

}  // namespace famigo::tasks
