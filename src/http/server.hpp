// The HTTP/1.1 server: one event loop per I/O thread (Boost.Asio), each with
// its own SO_REUSEPORT listener; a bounded worker pool for views that may
// block; limits and timeouts from ServerOptions; graceful drain. Asio stays
// inside server.cpp so that this header is cheap to include.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "http/app.hpp"
#include "http/server_config.hpp"

namespace famigo::http {

struct ServerStats {
    std::atomic<std::int64_t> open_connections{0};
    std::atomic<std::int64_t> in_flight{0};  // requests being handled or written
    std::atomic<std::uint64_t> bytes_out{0};
    std::atomic<std::uint64_t> shed{0};  // 503s from a full queue or too many connections
};

class Server {
  public:
    Server(ServerOptions options, const App& app);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listeners and starts the threads; throws famigo::Error when the
    // address cannot be bound.
    void start();
    // Blocks until the server has drained (or stop() was called) and every thread ended.
    void wait();
    // Graceful drain: readiness turns false at once; the listener stays open for
    // drain_grace; then it closes, in-flight requests finish (up to drain_timeout)
    // and wait() returns. Safe to call from any thread, more than once.
    void drain();
    // Also stops on SIGTERM and SIGINT (by calling drain()).
    void handle_signals();

    bool draining() const;
    std::uint16_t port() const;  // the bound port (useful with port 0)
    const ServerStats& stats() const;

    struct Impl;  // defined in server.cpp, where the connections use it

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace famigo::http
