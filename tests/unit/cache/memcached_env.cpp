#include "memcached_env.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace famigo::testing {

bool services_required() {
    const char* v = std::getenv("FAMIGO_REQUIRE_SERVICES");
    return v && std::string(v) == "1";
}

MemcachedEnv::MemcachedEnv(int count) {
    char tmpl[] = "/tmp/famigo-memcached-XXXXXX";
    if (!mkdtemp(tmpl)) {
        error_ = "cannot create a temporary directory";
        return;
    }
    dir_ = tmpl;
    int status = 0;
    std::string out = run("start " + dir_ + " " + std::to_string(count), &status);
    if (status == 3) {
        error_ = "memcached is not installed (Debian package memcached, /usr/bin/memcached)";
        return;
    }
    if (status != 0) {
        error_ = "tests/env/memcached start failed: " + out;
        return;
    }
    std::istringstream lines(out);
    for (unsigned port; lines >> port;) ports_.push_back(std::uint16_t(port));
    if (int(ports_.size()) != count) error_ = "tests/env/memcached printed: " + out;
}

MemcachedEnv::~MemcachedEnv() {
    if (dir_.empty()) return;
    int status = 0;
    run("stop " + dir_, &status);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string MemcachedEnv::url(std::vector<int> which) const {
    if (which.empty())
        for (int i = 0; i < int(ports_.size()); ++i) which.push_back(i);
    std::string out = "memcached://";
    for (std::size_t i = 0; i < which.size(); ++i) {
        if (i) out += ',';
        out += "127.0.0.1:" + std::to_string(ports_[std::size_t(which[i])]);
    }
    return out;
}

void MemcachedEnv::kill(int index) {
    int status = 0;
    run("kill " + dir_ + " " + std::to_string(index), &status);
}

void MemcachedEnv::restart(int index) {
    int status = 0;
    std::string out = run("restart " + dir_ + " " + std::to_string(index), &status);
    if (status != 0) ADD_FAILURE() << "memcached restart failed: " << out;
}

std::string MemcachedEnv::run(const std::string& args, int* status) const {
    std::string command = std::string(FAMIGO_SOURCE_DIR) + "/tests/env/memcached " + args + " 2>&1";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        *status = -1;
        return "popen failed";
    }
    std::array<char, 256> buf;
    while (std::fgets(buf.data(), int(buf.size()), pipe)) out += buf.data();
    int raw = pclose(pipe);
    *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return out;
}

}  // namespace famigo::testing
