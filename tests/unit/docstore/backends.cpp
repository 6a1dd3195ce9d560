#include "backends.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace famigo::docstore::testing {
namespace {

std::filesystem::path make_temp_dir(const char* prefix, bool memory = false) {
    // Contract tests commit tens of thousands of times; on tmpfs an fsync is free.
    std::filesystem::path base = memory && std::filesystem::is_directory("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t length = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    close(fd);
    return ntohs(addr.sin_port);
}

bool port_open(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

std::string ferretdb_binary() {
    if (const char* env = std::getenv("FAMIGO_FERRETDB"); env && *env) return env;
    return "/opt/famigo/ferretdb-v1.24.2/bin/ferretdb";
}

class Ferret {
  public:
    ~Ferret() {
        stop(SIGTERM);
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    std::optional<std::string> base(std::string* why) {
        std::lock_guard lock(mutex_);
        if (const char* env = std::getenv("FAMIGO_MONGO_URL"); env && *env) return std::string(env);
        if (!tried_) {
            tried_ = true;
            start();
        }
        if (pid_ <= 0) {
            if (why) *why = why_;
            return std::nullopt;
        }
        return "mongodb://127.0.0.1:" + std::to_string(port_);
    }

    bool restart() {
        std::lock_guard lock(mutex_);
        if (pid_ <= 0) return false;
        stop(SIGKILL);
        launch();
        return pid_ > 0;
    }

  private:
    void start() {
        std::string binary = ferretdb_binary();
        if (access(binary.c_str(), X_OK) != 0) {
            why_ = "FerretDB not found at " + binary;
            return;
        }
        dir_ = make_temp_dir("famigo-ferretdb-", true);
        port_ = free_port();
        launch();
    }

    void launch() {
        std::string binary = ferretdb_binary();
        std::string listen = "--listen-addr=127.0.0.1:" + std::to_string(port_);
        std::string url = "--sqlite-url=file:" + dir_.string() + "/";
        std::string state = "--state-dir=" + dir_.string();
        pid_ = fork();
        if (pid_ == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test binary
            std::string log = (dir_ / "ferretdb.log").string();
            FILE* out = std::freopen(log.c_str(), "a", stdout);
            (void)out;
            dup2(STDOUT_FILENO, STDERR_FILENO);
            execl(binary.c_str(), binary.c_str(), listen.c_str(), "--handler=sqlite", url.c_str(),
                  "--telemetry=disable", "--log-level=warn", state.c_str(),
                  "--debug-addr=127.0.0.1:0", static_cast<char*>(nullptr));
            _exit(127);
        }
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            if (port_open(port_)) return;
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        why_ = "FerretDB did not start (see " + (dir_ / "ferretdb.log").string() + ")";
        stop(SIGKILL);
    }

    void stop(int sig) {
        if (pid_ <= 0) return;
        kill(pid_, sig);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    std::mutex mutex_;
    bool tried_ = false;
    pid_t pid_ = -1;
    int port_ = 0;
    std::filesystem::path dir_;
    std::string why_;
};

Ferret& ferret() {
    static Ferret instance;
    return instance;
}

// The cluster of this process: ctest's (FAMIGO_PG_STATE) or one of its own.
class SharedPostgres {
  public:
    std::optional<std::string> base(std::string* why) {
        std::lock_guard lock(mutex_);
        if (const char* env = std::getenv("FAMIGO_PG_URL"); env && *env) return std::string(env);
        if (!tried_) {
            tried_ = true;
            find_or_start();
        }
        if (base_.empty()) {
            if (why) *why = why_;
            return std::nullopt;
        }
        return base_;
    }

  private:
    void find_or_start() {
        if (const char* state = std::getenv("FAMIGO_PG_STATE"); state && *state) {
            std::ifstream port_file(std::filesystem::path(state) / "port");
            int port = 0;
            if (port_file >> port && port_open(port)) {
                base_ = "postgresql://famigo@127.0.0.1:" + std::to_string(port);
                return;
            }
        }
        own_ = std::make_unique<PgCluster>();
        std::string url = own_->start();
        if (url.empty()) {
            why_ = own_->why();
            own_.reset();
            return;
        }
        base_ = "postgresql://famigo@127.0.0.1:" + std::to_string(own_->port());
    }

    std::mutex mutex_;
    bool tried_ = false;
    std::string base_, why_;
    std::unique_ptr<PgCluster> own_;
};

SharedPostgres& shared_postgres() {
    static SharedPostgres instance;
    return instance;
}

}  // namespace

int run_pg_env(const std::string& arguments, std::string* out) {
    std::string command =
        std::string(FAMIGO_SOURCE_DIR) + "/tests/env/postgres " + arguments + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return -1;
    std::string text;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0) text.append(chunk, n);
    int status = pclose(pipe);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    if (out) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

PgCluster::~PgCluster() {
    if (std::filesystem::exists(dir() / "pid")) run("stop");
}

bool PgCluster::run(const std::string& command, std::string* out) {
    std::string text;
    int status = run_pg_env(command + " " + dir().string(), &text);
    if (out) *out = text;
    if (status != 0)
        why_ =
            "tests/env/postgres " + command + " failed (" + std::to_string(status) + "): " + text;
    return status == 0;
}

std::string PgCluster::start() {
    std::string url;
    if (!run("start", &url)) return "";
    return url;
}

bool PgCluster::kill() {
    return run("kill");
}
bool PgCluster::restart() {
    return run("restart");
}

int PgCluster::port() const {
    std::ifstream file(dir() / "port");
    int port = 0;
    file >> port;
    return port;
}

std::optional<std::string> postgres_server(std::string* why) {
    return shared_postgres().base(why);
}

std::string postgres_database(const std::string& base_url) {
    static std::atomic<int> counter{0};
    std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    // The maintenance database "famigo" exists on every cluster tests/env/postgres made.
    auto at = base_url.rfind(':');
    std::string port = base_url.substr(at + 1);
    if (auto slash = port.find('/'); slash != std::string::npos) port.resize(slash);
    std::string out;
    std::string command = "/usr/lib/postgresql/15/bin/psql -q -h 127.0.0.1 -p " + port +
                          " -U famigo -d famigo -c 'CREATE DATABASE " + name + "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    char chunk[512];
    size_t n;
    while (pipe && (n = fread(chunk, 1, sizeof chunk, pipe)) > 0) out.append(chunk, n);
    int status = pipe ? pclose(pipe) : -1;
    if (status != 0) throw std::runtime_error("CREATE DATABASE failed: " + out);
    std::string base = base_url;
    if (auto q = base.find('/', 13); q != std::string::npos) base.resize(q);
    return base + "/" + name;
}

void postgres_psql_on(const std::string& url, const std::string& sql) {
    std::string command = "/usr/lib/postgresql/15/bin/psql -q '" + url + "' -c '" + sql + "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char chunk[512];
    size_t n;
    while (pipe && (n = fread(chunk, 1, sizeof chunk, pipe)) > 0) out.append(chunk, n);
    if ((pipe ? pclose(pipe) : -1) != 0) throw std::runtime_error("psql failed: " + out);
}

std::string PostgresBackend::url(const std::string& suffix) {
    auto it = databases.find(suffix);
    if (it != databases.end()) return it->second;
    auto server = postgres_server();
    if (!server) throw std::runtime_error("no PostgreSQL server");
    return databases[suffix] = postgres_database(*server);
}

TempDir::TempDir(bool memory) : path_(make_temp_dir("famigo-docstore-", memory)) {}
TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

bool services_required() {
    const char* env = std::getenv("FAMIGO_REQUIRE_SERVICES");
    return env && std::string(env) == "1";
}

std::optional<std::string> mongo_url(const std::string& database, std::string* why) {
    auto base = ferret().base(why);
    if (!base) return std::nullopt;
    std::string url = *base;
    if (auto q = url.find('?'); q != std::string::npos) url.resize(q);
    if (auto slash = url.find('/', 10); slash != std::string::npos) url.resize(slash);
    return url + "/" + database;
}

bool on_ferretdb() {
    const char* env = std::getenv("FAMIGO_MONGO_URL");
    return !(env && *env);
}

bool restart_ferretdb() {
    return ferret().restart();
}

std::string MongoBackend::unique_database() {
    static std::atomic<int> counter{0};
    static const int process = int(getpid());
    return "t" + std::to_string(process) + "_" + std::to_string(counter++);
}

std::string MongoBackend::url(const std::string& suffix) {
    auto url = mongo_url(database + suffix);
    if (!url) throw std::runtime_error("no MongoDB-wire server");
    return *url;
}

}  // namespace famigo::docstore::testing
