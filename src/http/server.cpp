#include "http/server.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/log.hpp"
#include "http/connection.hpp"
#include "http/event_loop.hpp"
#include "http/fastcgi_connection.hpp"

namespace famigo::http {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kSweepInterval{250};
// Out of descriptors: how long accepting pauses when a waiting connection
// could not even be answered with a 503, and how often that is logged.
constexpr milliseconds kAcceptBackoff{50};
constexpr std::chrono::seconds kAcceptWarningInterval{10};
// Descriptors kept free beyond those open at start: the store's and the
// cache's connections, files being sent, logs opened later.
constexpr std::uint64_t kReservedDescriptors = 64;

}  // namespace

Loop::~Loop() {
    if (spare_fd >= 0) ::close(spare_fd);
}

void Server::Impl::accept(Loop& loop) {
    loop.acceptor->async_accept([this, &loop](const boost::system::error_code& ec,
                                              tcp::socket socket) {
        if (ec == asio::error::operation_aborted || loop.closing) return;
        if (!ec) {
            auto open = stats.open_connections.fetch_add(1, std::memory_order_relaxed) + 1;
            if (open > std::int64_t(options.max_connections)) {
                // Shed: a short answer written without waiting, then close.
                stats.open_connections.fetch_sub(1, std::memory_order_relaxed);
                stats.shed.fetch_add(1, std::memory_order_relaxed);
                boost::system::error_code ignored;
                socket.non_blocking(true, ignored);
                socket.write_some(asio::buffer(kOverloaded.data(), kOverloaded.size()), ignored);
                socket.shutdown(tcp::socket::shutdown_both, ignored);
                socket.close(ignored);
            } else {
                serve(loop, std::move(socket));
            }
        } else if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                   ec.value() == ENFILE) {
            out_of_descriptors(loop, ec);
            return;
        }
        accept(loop);
    });
}

void Server::Impl::serve(Loop& loop, tcp::socket socket) {
    if (options.fastcgi)
        std::make_shared<FastCgiConnection>(*this, loop, std::move(socket))->start();
    else
        std::make_shared<Connection>(*this, loop, std::move(socket))->start();
}

// accept() failed for want of descriptors (EMFILE/ENFILE): the connection stays
// in the backlog and the listener stays readable, so retrying at once would
// spin. Answer one waiting client 503 with the spare descriptor, then carry on;
// without a spare, pause. Warn at most every kAcceptWarningInterval.
void Server::Impl::out_of_descriptors(Loop& loop, const boost::system::error_code& ec) {
    ++loop.accept_failures;
    auto now = Clock::now();
    if (now >= loop.next_accept_warning) {
        log::warn("accept failed: " + ec.message() + " (" + std::to_string(loop.accept_failures) +
                  " time(s) since the last warning); waiting clients get 503");
        loop.accept_failures = 0;
        loop.next_accept_warning = now + kAcceptWarningInterval;
    }
    bool answered = false;
    if (loop.spare_fd >= 0) {
        ::close(loop.spare_fd);
        int fd = ::accept4(loop.acceptor->native_handle(), nullptr, nullptr,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            stats.shed.fetch_add(1, std::memory_order_relaxed);
            [[maybe_unused]] auto written = ::write(fd, kOverloaded.data(), kOverloaded.size());
            ::shutdown(fd, SHUT_RDWR);
            ::close(fd);
            answered = true;
        }
        loop.spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    if (answered && loop.spare_fd >= 0) {
        accept(loop);
        return;
    }
    loop.accept_backoff.expires_after(kAcceptBackoff);
    loop.accept_backoff.async_wait([this, &loop](const boost::system::error_code& wait_ec) {
        if (wait_ec || loop.closing) return;
        if (loop.spare_fd < 0) loop.spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        accept(loop);
    });
}

void Server::Impl::sweep(Loop& loop) {
    loop.sweep_timer.expires_after(kSweepInterval);
    loop.sweep_timer.async_wait([this, &loop](const boost::system::error_code& ec) {
        if (ec) return;
        auto now = Clock::now();
        // Sweeping can close (and so destroy) connections: hold them while iterating.
        std::vector<std::shared_ptr<Connection>> held;
        held.reserve(loop.connections.size());
        for (Connection* c : loop.connections) held.push_back(c->shared_from_this());
        for (auto& c : held) c->sweep(now);
        held.clear();
        std::vector<std::shared_ptr<FastCgiConnection>> held_fastcgi;
        held_fastcgi.reserve(loop.fastcgi_connections.size());
        for (FastCgiConnection* c : loop.fastcgi_connections)
            held_fastcgi.push_back(c->shared_from_this());
        for (auto& c : held_fastcgi) c->sweep(now);
        held_fastcgi.clear();
        if (loop.closing && loop.connections.empty() && loop.fastcgi_connections.empty()) {
            loop.io.stop();
            return;
        }
        sweep(loop);
    });
}

void Server::Impl::close_listeners() {
    for (auto& loop : loops) {
        asio::post(loop->io, [this, l = loop.get()] {
            l->closing = true;
            if (!l->acceptor) return;
            // Connections the kernel already accepted into the backlog would be
            // reset by close(); take them and answer them (with Connection: close).
            boost::system::error_code ec;
            l->acceptor->non_blocking(true, ec);
            while (!ec) {
                tcp::socket socket(l->io);
                l->acceptor->accept(socket, ec);
                if (ec) break;
                stats.open_connections.fetch_add(1, std::memory_order_relaxed);
                serve(*l, std::move(socket));
            }
            l->acceptor->close(ec);
        });
    }
}

void Server::Impl::force_stop() {
    for (auto& loop : loops) {
        asio::post(loop->io, [l = loop.get()] {
            l->closing = true;
            boost::system::error_code ec;
            if (l->acceptor) l->acceptor->close(ec);
            std::vector<std::shared_ptr<Connection>> held;
            for (Connection* c : l->connections) held.push_back(c->shared_from_this());
            for (auto& c : held) c->close_now();
            std::vector<std::shared_ptr<FastCgiConnection>> held_fastcgi;
            for (FastCgiConnection* c : l->fastcgi_connections)
                held_fastcgi.push_back(c->shared_from_this());
            for (auto& c : held_fastcgi) c->close_now();
            l->io.stop();
        });
    }
}

Server::Server(ServerOptions options, const App& app)
    : impl_(std::make_unique<Impl>(std::move(options), app)) {}

Server::~Server() {
    if (!impl_->loops.empty()) {
        impl_->force_stop();
        wait();
    }
}

namespace {

// Caps max_connections below the process's open-file limit, keeping room for
// the descriptors already open, the loops' own and kReservedDescriptors, so
// that connections past the cap are answered 503 rather than left hanging.
void cap_connections_to_file_limit(ServerOptions& options) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
    std::uint64_t open_now = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec))
        ++open_now;
    // Per loop: listener, spare, epoll, its eventfd and timerfd.
    std::uint64_t reserved =
        open_now + 5 * std::uint64_t(options.io_threads) + kReservedDescriptors;
    std::uint64_t cap = limit.rlim_cur > reserved + 1 ? limit.rlim_cur - reserved : 1;
    std::string summary = "open-file limit " + std::to_string(limit.rlim_cur) + ", " +
                          std::to_string(reserved) + " descriptors kept for other uses";
    if (options.max_connections > cap) {
        log::warn("server.max_connections " + std::to_string(options.max_connections) +
                  " lowered to " + std::to_string(cap) + " (" + summary +
                  "; raise the limit, e.g. LimitNOFILE= in the systemd unit)");
        options.max_connections = unsigned(cap);
    } else {
        log::info("server.max_connections " + std::to_string(options.max_connections) + " (" +
                  summary + ")");
    }
}

// The listeners of the loops share their port with SO_REUSEPORT, which would
// also let a second server bind it and take part of the traffic. Unless
// sharing is asked for (server.reuse_port, for a binary swap), bind the address
// once without it first: that fails while anyone else listens there.
std::uint16_t check_port_is_free(const tcp::endpoint& endpoint, asio::io_context& io) {
    tcp::acceptor probe(io);
    boost::system::error_code ec;
    probe.open(endpoint.protocol(), ec);
    if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint, ec);
    if (ec == asio::error::address_in_use)
        throw Error("cannot listen on " + endpoint.address().to_string() + ":" +
                    std::to_string(endpoint.port()) +
                    ": address already in use (is another server running there? to share the "
                    "port on purpose, for a binary swap, set server.reuse_port=true)");
    if (ec)
        throw Error("cannot listen on " + endpoint.address().to_string() + ":" +
                    std::to_string(endpoint.port()) + ": " + ec.message());
    return probe.local_endpoint().port();
}

}  // namespace

void Server::start() {
    auto& s = *impl_;
    cap_connections_to_file_limit(s.options);
    s.pool = std::make_unique<WorkerPool>(s.options.workers, s.options.queue_limit);
    boost::system::error_code ec;
    auto address = asio::ip::make_address(s.options.host, ec);
    if (ec) throw Error("cannot listen on '" + s.options.host + "': not an IP address");
    std::uint16_t port = s.options.port;
    if (!s.options.reuse_port) {
        asio::io_context probe_io;
        port = check_port_is_free(tcp::endpoint(address, port), probe_io);
    }
    for (unsigned i = 0; i < s.options.io_threads; ++i) {
        auto loop = std::make_unique<Loop>();
        tcp::endpoint endpoint(address, port);
        auto acceptor = std::make_unique<tcp::acceptor>(loop->io);
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) {
            int one = 1;
            ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        }
        if (!ec) acceptor->bind(endpoint, ec);
        if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            throw Error("cannot listen on " + s.options.host + ":" + std::to_string(port) + ": " +
                        ec.message());
        // With port 0 the first listener picks the port and the others share it.
        port = acceptor->local_endpoint().port();
        loop->acceptor = std::move(acceptor);
        loop->spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        s.loops.push_back(std::move(loop));
    }
    s.port = port;
    for (auto& loop : s.loops) {
        Loop* l = loop.get();
        s.accept(*l);
        s.sweep(*l);
        l->thread = std::thread([l] {
            try {
                l->io.run();
            } catch (const std::exception& e) {
                log::error(std::string("I/O loop failed: ") + e.what());
            }
        });
    }
}

void Server::handle_signals() {
    auto& s = *impl_;
    s.signals = std::make_unique<asio::signal_set>(s.loops.front()->io, SIGTERM, SIGINT);
    s.signals->async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        log::info(std::string("received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                  ": draining");
        drain();
    });
}

void Server::drain() {
    auto& s = *impl_;
    if (s.draining.exchange(true)) return;
    asio::post(s.loops.front()->io, [&s] {
        s.drain_timer = std::make_unique<asio::steady_timer>(
            s.loops.front()->io, milliseconds(s.options.drain_grace_ms));
        s.drain_timer->async_wait([&s](const boost::system::error_code& ec) {
            if (ec) return;
            log::info("drain: grace period over, listener closed");
            s.close_listeners();
            s.drain_timer->expires_after(milliseconds(s.options.drain_timeout_ms));
            s.drain_timer->async_wait([&s](const boost::system::error_code& ec2) {
                if (ec2) return;
                log::warn("drain: timeout, closing the remaining connections");
                s.force_stop();
            });
        });
    });
}

void Server::wait() {
    auto& s = *impl_;
    for (auto& loop : s.loops)
        if (loop->thread.joinable()) loop->thread.join();
    if (s.pool) s.pool->stop();
    s.signals.reset();
    s.drain_timer.reset();
    s.loops.clear();
}

bool Server::draining() const {
    return impl_->draining.load();
}
std::uint16_t Server::port() const {
    return impl_->port;
}
const ServerStats& Server::stats() const {
    return impl_->stats;
}

}  // namespace famigo::http
