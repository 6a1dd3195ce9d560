#include "http/server.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"
#include "core/log.hpp"
#include "http/date_cache.hpp"
#include "http/parser.hpp"
#include "http/worker_pool.hpp"

namespace famigo::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class Connection;

// Bodies at most this large are copied behind the head into one write; larger
// ones are written from where they are (gather write or sendfile).
constexpr size_t kCopyBodyLimit = 16 * 1024;
// Shared bodies (cached pages, static files in memory) are already immutable
// bytes we can point at: past this size they go out in a gather write with the
// head rather than being copied (measured: a 16 KiB page hit, copy 0.86x
// nginx, gather see docs/benchmarks.md).
constexpr size_t kCopySharedBodyLimit = 4 * 1024;
// Stop batching pipelined responses past this much pending output.
constexpr size_t kPipelineOutputLimit = 64 * 1024;
// Length bodies larger than this are read straight into the request's body buffer.
constexpr std::uint64_t kDirectBodyRead = 64 * 1024;
// After "Connection: close", how long unread input is drained before closing, so
// the client sees our answer instead of a reset.
constexpr milliseconds kLingerTime{2000};
// While draining, an idle keep-alive connection is closed once idle this long.
constexpr milliseconds kDrainIdleClose{300};
constexpr milliseconds kSweepInterval{250};
// Out of descriptors: how long accepting pauses when a waiting connection
// could not even be answered with a 503, and how often that is logged.
constexpr milliseconds kAcceptBackoff{50};
constexpr std::chrono::seconds kAcceptWarningInterval{10};
// Descriptors kept free beyond those open at start: the store's and the
// cache's connections, files being sent, logs opened later.
constexpr std::uint64_t kReservedDescriptors = 64;

// One I/O thread's event loop and the connections it owns.
// Declared so that io is destroyed before connections: destroying io destroys
// pending handlers, whose connections unregister themselves from the set.
struct Loop {
    std::unordered_set<Connection*> connections;
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

    ~Loop() {
        if (spare_fd >= 0) ::close(spare_fd);
    }
};

}  // namespace

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
    void out_of_descriptors(Loop& loop, const boost::system::error_code& ec);
    void sweep(Loop& loop);
    void close_listeners();
    void force_stop();
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(Server::Impl& server, Loop& loop, tcp::socket socket)
        : server_(server),
          loop_(loop),
          socket_(std::move(socket)),
          in_capacity_(server.options.limits.max_header_bytes + 4 + 4096),
          in_(new char[in_capacity_]),
          chunked_(server.options.limits.max_body_bytes) {}

    ~Connection() {
        loop_.connections.erase(this);
        server_.stats.open_connections.fetch_sub(1, std::memory_order_relaxed);
    }

    void start() {
        loop_.connections.insert(this);
        boost::system::error_code ec;
        socket_.set_option(tcp::no_delay(true), ec);
        socket_.non_blocking(true, ec);
        auto endpoint = socket_.remote_endpoint(ec);
        peer_ = ec ? std::string("unknown") : endpoint.address().to_string();
        request_.peer_address = peer_;
        request_.client_address = peer_;
        auto now = Clock::now();
        enter_idle(now);
        // Until its first request starts, a connection gets the header timeout,
        // not the keep-alive one: a client that never sends is cut early.
        deadline_ = now + milliseconds(server_.options.header_timeout_ms);
        do_read();
    }

    // Called by the loop's sweeper: enforces timeouts and the drain.
    void sweep(Clock::time_point now) {
        if (closed_) return;
        if (lingering_) {
            if (now >= deadline_) close_now();
            return;
        }
        if (state_ == State::Idle && !writing_ && loop_.closing &&
            now - idle_since_ >= kDrainIdleClose) {
            close_now();
            return;
        }
        if (now < deadline_) return;
        if (writing_) {  // the client stopped reading what we send
            close_now();
            return;
        }
        switch (state_) {
            case State::Idle:
                close_now();  // keep-alive timeout: nothing to answer
                break;
            case State::Head:
            case State::Body:
                fail(408, "request timeout");
                break;
            case State::Handling:
            case State::HandlerDone:
                break;  // a view is running; its answer is written when it returns
        }
    }

    void close_now() {
        if (closed_) return;
        closed_ = true;
        boost::system::error_code ec;
        socket_.close(ec);
    }

  private:
    enum class State { Idle, Head, Body, Handling, HandlerDone };

    void enter_idle(Clock::time_point now) {
        state_ = State::Idle;
        idle_since_ = now;
        deadline_ = now + milliseconds(server_.options.keepalive_timeout_ms);
    }

    // The single driver: parses what is buffered, runs views, batches answers,
    // and decides whether to read, write or wait.
    void process() {
        while (!closed_ && !close_after_write_ && !in_pool_) {
            if (state_ == State::Idle) {
                if (in_begin_ == in_end_) {
                    in_begin_ = in_end_ = 0;
                    break;
                }
                begin_request();
            }
            if (state_ == State::Head) {
                if (!parse_head_step()) break;
            }
            if (state_ == State::Body) {
                if (!body_step()) break;
            }
            if (state_ != State::Handling && state_ != State::HandlerDone) continue;
            if (!dispatch()) break;  // answered later by the pool
            finish_request();
            if (tail_ || out_.size() >= kPipelineOutputLimit) break;
        }
        if (closed_) return;
        if (!writing_ && (!out_.empty() || tail_)) {
            flush();
            return;
        }
        if (!writing_ && close_after_write_) {
            linger();
            return;
        }
        if (state_ == State::Idle || state_ == State::Head || state_ == State::Body) do_read();
    }

    void begin_request() {
        if (in_begin_ > 0) {  // keep the next request at the buffer's start
            std::memmove(in_.get(), in_.get() + in_begin_, in_end_ - in_begin_);
            in_end_ -= in_begin_;
            in_begin_ = 0;
        }
        state_ = State::Head;
        scan_from_ = 0;
        request_.reset();
        response_.reset();
        deadline_ = Clock::now() + milliseconds(server_.options.header_timeout_ms);
    }

    // Returns true when the head is complete (state moves on), false to read more.
    bool parse_head_step() {
        std::string_view data(in_.get() + in_begin_, in_end_ - in_begin_);
        HeadResult head = parse_head(data, server_.options.limits, request_, scan_from_);
        if (head.status == ParseStatus::Incomplete) return false;
        if (head.status == ParseStatus::Error) {
            fail(head.error.status, head.error.reason);
            return false;
        }
        in_begin_ += head.consumed;
        body_start_ = in_begin_;
        framing_ = head.framing;
        if (framing_.kind == BodyKind::None) {
            state_ = State::Handling;
            return true;
        }
        size_t available = in_end_ - in_begin_;
        if (framing_.kind == BodyKind::Length && available >= framing_.length) {
            request_.body = std::string_view(in_.get() + in_begin_, size_t(framing_.length));
            in_begin_ += size_t(framing_.length);
            state_ = State::Handling;
            return true;
        }
        // The body must be read: from now on bytes after the head are body bytes.
        state_ = State::Body;
        deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
        chunked_.reset();
        body_received_ = 0;
        if (framing_.kind == BodyKind::Length) {
            request_.body_storage.resize(size_t(framing_.length));
        }
        if (framing_.expect_continue) out_.append("HTTP/1.1 100 Continue\r\n\r\n");
        return true;
    }

    // Consumes buffered body bytes; true when the body is complete.
    bool body_step() {
        std::string_view data(in_.get() + in_begin_, in_end_ - in_begin_);
        if (framing_.kind == BodyKind::Length) {
            size_t take = std::min<std::uint64_t>(data.size(), framing_.length - body_received_);
            std::memcpy(request_.body_storage.data() + body_received_, data.data(), take);
            body_received_ += take;
            in_begin_ += take;
            if (body_received_ < framing_.length) {
                compact_body_bytes();
                return false;
            }
        } else {
            auto fed = chunked_.feed(data, request_.body_storage);
            in_begin_ += fed.consumed;
            if (fed.error.status) {
                fail(fed.error.status, fed.error.reason);
                return false;
            }
            if (!fed.done) {
                compact_body_bytes();
                return false;
            }
        }
        request_.body = request_.body_storage;
        state_ = State::Handling;
        return true;
    }

    // Body bytes were all consumed: read the next ones into the buffer space
    // right after the head. The head's views stay valid because the head itself
    // does not move, and the parser's limit keeps room free after it.
    void compact_body_bytes() { in_begin_ = in_end_ = body_start_; }

    // Runs the view inline, or hands it to the pool. True when answered now.
    bool dispatch() {
        server_.stats.in_flight.fetch_add(1, std::memory_order_relaxed);
        request_.started = Clock::now();
        Router::Match match = server_.app.route(request_);
        if (match.route && match.route->execution == Execution::Pool) {
            if (server_.app.answer_inline(match, request_, response_)) return true;
            auto self = shared_from_this();
            bool queued = server_.pool->try_submit([self, match] {
                self->server_.app.handle(match, self->request_, self->response_);
                asio::post(self->loop_.io, [self] { self->on_handler_done(); });
            });
            if (queued) {
                in_pool_ = true;
                return false;
            }
            server_.stats.shed.fetch_add(1, std::memory_order_relaxed);
            App::error_page(503, response_);
            response_.set_header("Retry-After", "1");
            return true;
        }
        server_.app.handle(match, request_, response_);
        return true;
    }

    void on_handler_done() {
        in_pool_ = false;
        state_ = State::HandlerDone;
        if (closed_) return;
        if (writing_) return;  // the write's completion resumes us
        finish_request();
        process();
    }

    // Serialises the response behind any earlier pipelined ones, then readies
    // the connection for the next request.
    void finish_request() {
        server_.stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
        bool keep_alive = request_.keep_alive && !response_.close_connection && !loop_.closing;
        serialize(keep_alive);
        if (!keep_alive) close_after_write_ = true;
        enter_idle(Clock::now());
    }

    void serialize(bool keep_alive) {
        const int status = response_.status;
        const bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
        const bool head_only = request_.method == Method::Head || no_body;
        const std::uint64_t body_size = response_.body_size();

        out_.append(request_.minor_version == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
        append_number(status);
        out_ += ' ';
        out_.append(reason_phrase(status));
        out_.append("\r\nServer: famigo\r\nDate: ");
        out_.append(loop_.date.now());
        if (!no_body) {
            out_.append("\r\nContent-Length: ");
            append_number(body_size);
        }
        if (!keep_alive)
            out_.append("\r\nConnection: close");
        else if (request_.minor_version == 0)
            out_.append("\r\nConnection: keep-alive");
        for (size_t i = 0; i < response_.header_count(); ++i) {
            const auto& [name, value] = response_.header_at(i);
            out_.append("\r\n");
            out_.append(name);
            out_.append(": ");
            out_.append(value);
        }
        out_.append("\r\n\r\n");
        if (head_only || body_size == 0) return;

        if (response_.file_body) {
            tail_file_ = std::move(response_.file_body);
            tail_ = true;
        } else if (response_.shared_body) {
            if (body_size <= kCopySharedBodyLimit) {
                out_.append(*response_.shared_body);
            } else {
                tail_shared_ = std::move(response_.shared_body);
                tail_ = true;
            }
        } else if (body_size <= kCopyBodyLimit) {
            out_.append(response_.body);
        } else {
            tail_owned_.swap(response_.body);
            tail_ = true;
        }
    }

    void append_number(std::uint64_t n) {
        char digits[24];
        auto result = std::to_chars(digits, digits + sizeof digits, n);
        out_.append(digits, size_t(result.ptr - digits));
    }

    // Answers a protocol error or timeout ourselves, then closes.
    void fail(int status, std::string_view reason) {
        log::debug("closing connection from " + peer_ + ": " + std::string(reason));
        if (state_ == State::Idle || state_ == State::Head || state_ == State::Body) {
            response_.reset();
            App::error_page(status, response_);
            server_.stats.in_flight.fetch_add(1, std::memory_order_relaxed);
            request_.minor_version = 1;
            request_.method = Method::Get;
            finish_request_closing();
        }
    }

    void finish_request_closing() {
        server_.stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
        serialize(false);
        close_after_write_ = true;
        state_ = State::Idle;
        if (!writing_) flush();
    }

    void do_read() {
        if (reading_ || closed_) return;
        asio::mutable_buffer target;
        if (state_ == State::Body && framing_.kind == BodyKind::Length &&
            framing_.length - body_received_ >= kDirectBodyRead) {
            target = asio::buffer(request_.body_storage.data() + body_received_,
                                  size_t(framing_.length - body_received_));
            direct_body_read_ = true;
        } else {
            if (in_end_ == in_capacity_) return;  // cannot happen: the parser's limits fire first
            target = asio::buffer(in_.get() + in_end_, in_capacity_ - in_end_);
            direct_body_read_ = false;
        }
        reading_ = true;
        socket_.async_read_some(
            target, [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                self->on_read(ec, n);
            });
    }

    void on_read(const boost::system::error_code& ec, size_t n) {
        reading_ = false;
        if (closed_) return;
        if (ec) {
            // EOF or reset: nothing more will come. Finish writing what we owe, then close.
            if (writing_ || state_ == State::Handling)
                close_after_write_ = true;
            else
                close_now();
            return;
        }
        if (state_ == State::Idle && n > 0) {
            deadline_ = Clock::now() + milliseconds(server_.options.header_timeout_ms);
        }
        if (direct_body_read_) {
            body_received_ += n;
            if (body_received_ == framing_.length) {
                request_.body = request_.body_storage;
                state_ = State::Handling;
            }
        } else {
            in_end_ += n;
        }
        process();
    }

    void flush() {
        if (closed_) return;
        writing_ = true;
        // A write must make progress within the body timeout (see sweep()).
        deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
        std::array<asio::const_buffer, 2> buffers{asio::buffer(out_), asio::const_buffer()};
        if (tail_shared_)
            buffers[1] = asio::buffer(*tail_shared_);
        else if (!tail_owned_.empty())
            buffers[1] = asio::buffer(tail_owned_);
        server_.stats.bytes_out.fetch_add(
            out_.size() + buffers[1].size() + (tail_file_ ? tail_file_->length : 0),
            std::memory_order_relaxed);
        asio::async_write(socket_, buffers,
                          [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                              self->on_written(ec);
                          });
    }

    void on_written(const boost::system::error_code& ec) {
        if (ec || closed_) {
            writing_ = false;
            close_now();
            return;
        }
        out_.clear();
        tail_shared_.reset();
        tail_owned_.clear();
        if (tail_file_) {
            send_file();
            return;
        }
        after_write();
    }

    // Sends the file range with sendfile(2), waiting for writability on EAGAIN.
    void send_file() {
        auto& file = *tail_file_;
        while (file.length > 0) {
            off_t offset = off_t(file.offset);
            size_t chunk = size_t(std::min<std::uint64_t>(file.length, 1 << 20));
            ssize_t sent = ::sendfile(socket_.native_handle(), file.file->fd(), &offset, chunk);
            if (sent > 0) {
                file.offset += std::uint64_t(sent);
                file.length -= std::uint64_t(sent);
                deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
                continue;
            }
            if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
                socket_.async_wait(
                    tcp::socket::wait_write,
                    [self = shared_from_this()](const boost::system::error_code& ec) {
                        if (ec || self->closed_) {
                            self->writing_ = false;
                            self->close_now();
                            return;
                        }
                        self->send_file();
                    });
                return;
            }
            // The file shrank under us or the peer went away: the response is broken, close.
            writing_ = false;
            close_now();
            return;
        }
        tail_file_.reset();
        after_write();
    }

    void after_write() {
        writing_ = false;
        tail_ = false;
        if (state_ == State::HandlerDone)
            finish_request();
        else if (state_ == State::Idle)
            enter_idle(Clock::now());  // the keep-alive clock starts now
        if (close_after_write_ && out_.empty()) {
            linger();
            return;
        }
        process();
    }

    // Half-closes, then reads and drops input until EOF or kLingerTime, so a
    // client that sent more (pipelined) still reads our last answer.
    void linger() {
        if (lingering_ || closed_) return;
        lingering_ = true;
        boost::system::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_send, ec);
        deadline_ = Clock::now() + kLingerTime;
        drain_input();
    }

    void drain_input() {
        if (reading_) return;  // the pending read's completion will come here
        reading_ = true;
        socket_.async_read_some(
            asio::buffer(in_.get(), in_capacity_),
            [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                self->reading_ = false;
                if (ec || self->closed_) {
                    self->close_now();
                    return;
                }
                self->drain_input();
            });
    }

    Server::Impl& server_;
    Loop& loop_;
    tcp::socket socket_;
    std::string peer_;

    const size_t in_capacity_;
    std::unique_ptr<char[]> in_;
    size_t in_begin_ = 0;
    size_t in_end_ = 0;
    size_t scan_from_ = 0;
    size_t body_start_ = 0;  // where body bytes are read to while the body streams in

    State state_ = State::Idle;
    BodyFraming framing_;
    ChunkedDecoder chunked_;
    std::uint64_t body_received_ = 0;
    bool direct_body_read_ = false;

    Request request_;
    Response response_;

    std::string out_;
    bool tail_ = false;
    std::shared_ptr<const std::string> tail_shared_;
    std::string tail_owned_;
    std::optional<FileBody> tail_file_;

    bool reading_ = false;
    bool in_pool_ = false;  // a pool thread owns request_ and response_
    bool writing_ = false;
    bool close_after_write_ = false;
    bool lingering_ = false;
    bool closed_ = false;
    Clock::time_point deadline_;
    Clock::time_point idle_since_;
};

constexpr std::string_view kOverloaded =
    "HTTP/1.1 503 Service Unavailable\r\nServer: famigo\r\nContent-Type: text/plain; "
    "charset=utf-8\r\nContent-Length: 24\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    "503 Service Unavailable\n";

}  // namespace

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
                std::make_shared<Connection>(*this, loop, std::move(socket))->start();
            }
        } else if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                   ec.value() == ENFILE) {
            out_of_descriptors(loop, ec);
            return;
        }
        accept(loop);
    });
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
        if (loop.closing && loop.connections.empty()) {
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
                std::make_shared<Connection>(*this, *l, std::move(socket))->start();
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
