// The server's insides shared by server.cpp (the event loops: accept, sweep,
// drain, start) and connection.cpp (one client connection): one Loop per I/O
// thread, with the connections it owns, and Server::Impl, the state every loop
// and connection reads. Internal to the http module; Asio stays out of server.hpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "http/date_cache.hpp"
#include "http/server.hpp"
#include "http/worker_pool.hpp"

// After <utility>: Boost.Asio 1.74 uses std::exchange without including it.
#include <boost/asio.hpp>

namespace famigo::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class Connection;
class FastCgiConnection;

// One I/O thread's event loop and the connections it owns.
// Declared so that io is destroyed before connections: destroying io destroys
// pending handlers, whose connections unregister themselves from the set.
struct Loop {
    std::unordered_set<Connection*> connections;
    std::unordered_set<FastCgiConnection*> fastcgi_connections;  // server.protocol=fastcgi
    DateCache date;
    bool closing = false;  // listener closed, drain under way
    // Every socket of a loop is used only by its thread, so the reactor needs no
    // locks; the scheduler keeps its lock because pool threads post completions.
    asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    std::unique_ptr<tcp::acceptor> acceptor;
    asio::steady_timer sweep_timer{io};
    asio::steady_timer accept_backoff{io};
    // A descriptor held in reserve: when accept() fails for want of descriptors,
    // it is closed so that one waiting connection can be taken and answered 503
    // instead of hanging in the backlog.
    int spare_fd = -1;
    std::uint64_t accept_failures = 0;  // since the last warning
    Clock::time_point next_accept_warning{};
    std::thread thread;

    ~Loop();
};

struct Server::Impl {
    ServerOptions options;
    const App& app;
    ServerStats stats;
    std::vector<std::unique_ptr<Loop>> loops;
    std::unique_ptr<WorkerPool> pool;
    std::atomic<bool> draining{false};
    std::uint16_t port = 0;
    std::unique_ptr<asio::signal_set> signals;
    std::unique_ptr<asio::steady_timer> drain_timer;

    Impl(ServerOptions o, const App& a) : options(std::move(o)), app(a) {}

    void accept(Loop& loop);
    // Starts serving an accepted socket with the configured protocol.
    void serve(Loop& loop, tcp::socket socket);
    void out_of_descriptors(Loop& loop, const boost::system::error_code& ec);
    void sweep(Loop& loop);
    void close_listeners();
    void force_stop();
};

// The answer to a connection we will not serve (too many, or no descriptors
// left), written without waiting before the close.
constexpr std::string_view kOverloaded =
    "HTTP/1.1 503 Service Unavailable\r\nServer: famigo\r\nContent-Type: text/plain; "
    "charset=utf-8\r\nContent-Length: 24\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    "503 Service Unavailable\n";

}  // namespace famigo::http
