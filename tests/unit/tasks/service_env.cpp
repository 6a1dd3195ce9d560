#include "service_env.hpp"

#include <gtest/gtest.h>
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

ServiceEnv::ServiceEnv(std::string script, int count, const std::string& root)
    : script_(std::move(script)) {
    std::string pattern = root + "/famigo-" + script_ + "-XXXXXX";
    if (!mkdtemp(pattern.data())) {
        error_ = "cannot create a temporary directory";
        return;
    }
    dir_ = pattern;
    int status = 0;
    std::string out = run("start " + dir_ + " " + std::to_string(count), &status);
    if (status == 3) {
        error_ = script_ + " is not installed: " + out;
        return;
    }
    if (status != 0) {
        error_ = "tests/env/" + script_ + " start failed: " + out;
        return;
    }
    std::istringstream lines(out);
    for (unsigned p; lines >> p;) ports_.push_back(std::uint16_t(p));
    if (int(ports_.size()) != count) error_ = "tests/env/" + script_ + " printed: " + out;
}

ServiceEnv::~ServiceEnv() {
    if (dir_.empty()) return;
    int status = 0;
    run("stop " + dir_, &status);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void ServiceEnv::kill(int index) {
    int status = 0;
    run("kill " + dir_ + " " + std::to_string(index), &status);
}

void ServiceEnv::restart(int index) {
    int status = 0;
    std::string out = run("restart " + dir_ + " " + std::to_string(index), &status);
    if (status != 0) ADD_FAILURE() << script_ << " restart failed: " << out;
}

std::string ServiceEnv::run(const std::string& args, int* status) const {
    std::string command =
        std::string(FAMIGO_SOURCE_DIR) + "/tests/env/" + script_ + " " + args + " 2>&1";
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
