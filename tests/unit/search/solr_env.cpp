#include "solr_env.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace famigo::testing {
namespace {

std::string run(const std::string& args, int* status) {
    std::string command = std::string(FAMIGO_SOURCE_DIR) + "/tests/env/solr/run " + args + " 2>&1";
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

struct Solr {
    std::string dir, url, error;
    Solr() {
        char tmpl[] = "/tmp/famigo-solr-XXXXXX";
        if (!mkdtemp(tmpl)) {
            error = "cannot create a temporary directory";
            return;
        }
        dir = tmpl;
        int status = 0;
        std::string out = run("start " + dir, &status);
        if (status != 0) {
            error = "tests/env/solr/run start failed: " + out;
            return;
        }
        url = "solr://127.0.0.1:" + out.substr(0, out.find('\n')) + "/famigo";
    }
    ~Solr() {
        if (dir.empty()) return;
        int status = 0;
        run("stop " + dir, &status);
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

}  // namespace

bool services_required() {
    const char* v = std::getenv("FAMIGO_REQUIRE_SERVICES");
    return v && std::string(v) == "1";
}

std::string solr_url(std::string& error) {
    static Solr solr;  // one server for the whole binary, stopped at exit
    error = solr.error;
    return solr.url;
}

}  // namespace famigo::testing
