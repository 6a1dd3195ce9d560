#include "http/connection.hpp"

#include <algorithm>
#include <cstring>

#include "core/log.hpp"

namespace famigo::http {
namespace {

using std::chrono::milliseconds;

// Stop batching pipelined responses past this much pending output.
constexpr size_t kPipelineOutputLimit = 64 * 1024;
// Length bodies larger than this are read straight into the request's body buffer.
constexpr std::uint64_t kDirectBodyRead = 64 * 1024;
// After "Connection: close", how long unread input is drained before closing, so
// the client sees our answer instead of a reset.
constexpr milliseconds kLingerTime{2000};
// While draining, an idle keep-alive connection is closed once idle this long.
constexpr milliseconds kDrainIdleClose{300};

}  // namespace

Connection::Connection(Server::Impl& server, Loop& loop, tcp::socket socket)
    : server_(server),
      loop_(loop),
      socket_(std::move(socket)),
      in_capacity_(server.options.limits.max_header_bytes + 4 + 4096),
      in_(new char[in_capacity_]),
      chunked_(server.options.limits.max_body_bytes) {}

Connection::~Connection() {
    loop_.connections.erase(this);
    server_.stats.open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::start() {
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

void Connection::sweep(Clock::time_point now) {
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

void Connection::close_now() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    socket_.close(ec);
}

void Connection::enter_idle(Clock::time_point now) {
    state_ = State::Idle;
    idle_since_ = now;
    deadline_ = now + milliseconds(server_.options.keepalive_timeout_ms);
}

// The single driver: parses what is buffered, runs views, batches answers,
// and decides whether to read, write or wait.
void Connection::process() {
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
        if (writer_.has_tail() || writer_.buffered() >= kPipelineOutputLimit) break;
    }
    if (closed_) return;
    if (!writing_ && writer_.has_output()) {
        flush();
        return;
    }
    if (!writing_ && close_after_write_) {
        linger();
        return;
    }
    if (state_ == State::Idle || state_ == State::Head || state_ == State::Body) do_read();
}

void Connection::begin_request() {
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
bool Connection::parse_head_step() {
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
    if (framing_.expect_continue) writer_.append_raw("HTTP/1.1 100 Continue\r\n\r\n");
    return true;
}

// Consumes buffered body bytes; true when the body is complete. Once they are
// all consumed, compact_body_bytes() reads the next ones into the space right
// after the head: the head's views stay valid because the head does not move,
// and the parser's limit keeps room free after it.
bool Connection::body_step() {
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

// Runs the view inline, or hands it to the pool. True when answered now.
bool Connection::dispatch() {
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

void Connection::on_handler_done() {
    in_pool_ = false;
    state_ = State::HandlerDone;
    if (closed_) return;
    if (writing_) return;  // the write's completion resumes us
    finish_request();
    process();
}

// Serialises the response behind any earlier pipelined ones, then readies
// the connection for the next request.
void Connection::finish_request() {
    server_.stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    bool keep_alive = request_.keep_alive && !response_.close_connection && !loop_.closing;
    writer_.serialize(request_, response_, keep_alive, loop_.date.now());
    if (!keep_alive) close_after_write_ = true;
    enter_idle(Clock::now());
}

// Answers a protocol error or timeout ourselves, then closes.
void Connection::fail(int status, std::string_view reason) {
    if (log::enabled(log::Level::Debug))
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

void Connection::finish_request_closing() {
    server_.stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    writer_.serialize(request_, response_, false, loop_.date.now());
    close_after_write_ = true;
    state_ = State::Idle;
    if (!writing_) flush();
}

void Connection::do_read() {
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

void Connection::on_read(const boost::system::error_code& ec, size_t n) {
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

void Connection::flush() {
    if (closed_) return;
    writing_ = true;
    // A write must make progress within the body timeout (see sweep()).
    deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
    server_.stats.bytes_out.fetch_add(writer_.bytes_pending(), std::memory_order_relaxed);
    asio::async_write(socket_, writer_.buffers(),
                      [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                          self->on_written(ec);
                      });
}

void Connection::on_written(const boost::system::error_code& ec) {
    if (ec || closed_) {
        writing_ = false;
        close_now();
        return;
    }
    if (writer_.written()) {
        send_file();
        return;
    }
    after_write();
}

// Sends the file body with sendfile(2), waiting for writability on EAGAIN.
void Connection::send_file() {
    bool progressed = false;
    auto result = writer_.send_file(socket_.native_handle(), progressed);
    if (progressed) deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
    switch (result) {
        case ResponseWriter::FileProgress::Done:
            after_write();
            return;
        case ResponseWriter::FileProgress::WouldBlock:
            socket_.async_wait(tcp::socket::wait_write,
                               [self = shared_from_this()](const boost::system::error_code& ec) {
                                   if (ec || self->closed_) {
                                       self->writing_ = false;
                                       self->close_now();
                                       return;
                                   }
                                   self->send_file();
                               });
            return;
        case ResponseWriter::FileProgress::Failed:
            writing_ = false;
            close_now();
            return;
    }
}

void Connection::after_write() {
    writing_ = false;
    if (state_ == State::HandlerDone)
        finish_request();
    else if (state_ == State::Idle)
        enter_idle(Clock::now());  // the keep-alive clock starts now
    if (close_after_write_ && writer_.buffered() == 0) {
        linger();
        return;
    }
    process();
}

// Half-closes, then reads and drops input until EOF or kLingerTime, so a
// client that sent more (pipelined) still reads our last answer.
void Connection::linger() {
    if (lingering_ || closed_) return;
    lingering_ = true;
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    deadline_ = Clock::now() + kLingerTime;
    drain_input();
}

void Connection::drain_input() {
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

}  // namespace famigo::http
