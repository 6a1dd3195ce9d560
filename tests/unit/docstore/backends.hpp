// Test support: the three backends the contract suites run on. SQLite opens a
// fresh file in a temporary folder; Mongo connects to FerretDB, started once
// per test binary on a free loopback port (or to $FAMIGO_MONGO_URL), with a
// fresh database per test; PostgreSQL connects to a private cluster started
// once per test binary by tests/env/postgres (or to $FAMIGO_PG_URL's server),
// with a fresh database per test. Without a server the Mongo and PostgreSQL
// tests skip, unless FAMIGO_REQUIRE_SERVICES=1, where they fail.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
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
// The PostgreSQL cluster these tests use: the one ctest's fixture started
// ($FAMIGO_PG_STATE names its tests/env/postgres folder), else one this
// process starts. Its base URL (postgresql://famigo@127.0.0.1:PORT), or
// nullopt with the reason in `why`.
std::optional<std::string> postgres_server(std::string* why = nullptr);
// A new, empty database on that cluster; its URL.
std::string postgres_database(const std::string& base_url);
// Runs SQL with psql on the database at `url`; throws when it fails.
void postgres_psql_on(const std::string& url, const std::string& sql);

// A cluster of its own for a test that kills its server
// (tests/env/postgres in a temporary folder), stopped with the object.
class PgCluster {
  public:
    PgCluster() = default;
    ~PgCluster();
    // initdb and start; the URL, or "" when it cannot (the reason in why()).
    std::string start();
    bool kill();     // SIGKILL every server process
    bool restart();  // start again on the same port and data
    int port() const;
    const std::string& why() const { return why_; }
    const std::filesystem::path& dir() const { return dir_.path(); }

  private:
    bool run(const std::string& command, std::string* out = nullptr);
    TempDir dir_{true};
    std::string why_;
};
// Runs tests/env/postgres with these arguments; its status, output in `out`.
int run_pg_env(const std::string& arguments, std::string* out = nullptr);
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

struct PostgresBackend {
    static constexpr const char* name = "postgresql";
    std::map<std::string, std::string> databases;  // suffix -> URL
    std::unique_ptr<Store> open(const std::string& suffix = "") {
        StoreOptions options;
        options.url = url(suffix);
        return open_store(options);
    }
    // Each distinct suffix is its own database (made on first use).
    std::string url(const std::string& suffix = "");
};

// Why the backend cannot run here, or "" when it can (SQLite always can).
template <typename Backend>
std::string backend_missing() {
    if constexpr (std::is_same_v<Backend, MongoBackend>) {
        std::string why;
        if (!mongo_url("probe", &why)) return why.empty() ? "no MongoDB-wire server" : why;
    }
    if constexpr (std::is_same_v<Backend, PostgresBackend>) {
        std::string why;
        if (!postgres_server(&why)) return why.empty() ? "no PostgreSQL server" : why;
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
            GTEST_SKIP() << famigo_missing << " (scripts/setup installs it)";                 \
        }                                                                                     \
    } while (0)

using Backends = ::testing::Types<SqliteBackend, MongoBackend, PostgresBackend>;

struct BackendNames {
    template <typename T>
    static std::string GetName(int) {
        return T::name;
    }
};

}  // namespace famigo::docstore::testing
