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

}  // namespace

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
