// A real server for a test, started and stopped by one of the tests/env
// scripts (start DIR COUNT prints the ports; stop, kill, restart) on free
// loopback ports. When the server is not installed (status 3) the test is
// skipped with the reason, or fails under FAMIGO_REQUIRE_SERVICES=1 (CI).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace famigo::testing {

class ServiceEnv {
  public:
    // script: "redis" -> tests/env/redis; its state (data, logs) under root.
    ServiceEnv(std::string script, int count, const std::string& root = "/tmp");
    ~ServiceEnv();
    ServiceEnv(const ServiceEnv&) = delete;
    ServiceEnv& operator=(const ServiceEnv&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    std::uint16_t port(int index = 0) const { return ports_.at(std::size_t(index)); }
    void kill(int index = 0);
    void restart(int index = 0);

  private:
    std::string run(const std::string& args, int* status) const;

    std::string script_;
    std::string dir_;
    std::vector<std::uint16_t> ports_;
    std::string error_;
};

bool services_required();

}  // namespace famigo::testing
