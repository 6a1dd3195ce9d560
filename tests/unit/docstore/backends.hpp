// Test support: the two backends the contract suites run on. SQLite opens a
// fresh file in a temporary folder; Mongo connects to FerretDB, started once
// per test binary on a free loopback port (or to $FAMIGO_MONGO_URL), with a
// fresh database per test. Without a server the Mongo tests skip, unless
// FAMIGO_REQUIRE_SERVICES=1, where they fail.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "docstore/store.hpp"

namespace famigo::docstore::testing {

// A temporary folder removed with the object.
class TempDir {
  public:
    explicit TempDir(bool memory = false);  // memory: on tmpfs when there is one
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// The FerretDB server of this process: its mongodb:// URL for a database, or
// nullopt with the reason in `why`.
std::optional<std::string> mongo_url(const std::string& database, std::string* why = nullptr);
// Kills the FerretDB server with SIGKILL and starts it again on the same port
// and data (for durability tests); false if this process did not start it.
bool restart_ferretdb();
bool services_required();
// True when the Mongo backend runs on the FerretDB this process started (not on
// a server named by $FAMIGO_MONGO_URL): tests then expect FerretDB's known gaps.
bool on_ferretdb();

struct SqliteBackend {
    static constexpr const char* name = "sqlite";
    TempDir dir{true};
    std::unique_ptr<Store> open(const std::string& file = "store.db") {
        StoreOptions options;
        options.url = "sqlite://" + (dir.path() / file).string();
        return open_store(options);
    }
    std::string url(const std::string& file = "store.db") {
        return "sqlite://" + (dir.path() / file).string();
    }
};

struct MongoBackend {
    static constexpr const char* name = "mongodb";
    std::string database = unique_database();
    std::unique_ptr<Store> open(const std::string& suffix = "") {
        StoreOptions options;
        options.url = url(suffix);
        options.timeout = std::chrono::milliseconds(20000);
        return open_store(options);
    }
    std::string url(const std::string& suffix = "");
    static std::string unique_database();
};

// Why the backend cannot run here, or "" when it can (SQLite always can).
template <typename Backend>
std::string backend_missing() {
    if constexpr (std::is_same_v<Backend, MongoBackend>) {
        std::string why;
        if (!mongo_url("probe", &why)) return why.empty() ? "no MongoDB-wire server" : why;
    }
    return "";
}

// In a typed test's SetUp: skips a test whose backend has no server, or fails
// it when FAMIGO_REQUIRE_SERVICES=1.
#define FAMIGO_REQUIRE_BACKEND(Backend)                                                       \
    do {                                                                                      \
        std::string famigo_missing = ::famigo::docstore::testing::backend_missing<Backend>(); \
        if (!famigo_missing.empty()) {                                                        \
            if (::famigo::docstore::testing::services_required())                             \
                GTEST_FAIL() << "FAMIGO_REQUIRE_SERVICES=1 but " << famigo_missing;           \
            GTEST_SKIP() << famigo_missing << " (scripts/setup builds FerretDB)";             \
        }                                                                                     \
    } while (0)

using Backends = ::testing::Types<SqliteBackend, MongoBackend>;

struct BackendNames {
    template <typename T>
    static std::string GetName(int) {
        return T::name;
    }
};

}  // namespace famigo::docstore::testing
