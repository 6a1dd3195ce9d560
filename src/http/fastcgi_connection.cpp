#include "http/fastcgi_connection.hpp"

#include "core/log.hpp"

namespace famigo::http {
namespace {

using std::chrono::milliseconds;

// Bytes asked of the socket per read: a whole record fits.
constexpr size_t kFastCgiReadSize = 64 * 1024 + fastcgi::kHeaderSize + 256;
// While draining, an idle connection is closed once idle this long (as HTTP's).
constexpr milliseconds kFastCgiDrainIdleClose{300};

}  // namespace

FastCgiConnection::FastCgiConnection(Server::Impl& server, Loop& loop, tcp::socket socket)
    : server_(server),
      loop_(loop),
      socket_(std::move(socket)),
      responder_(server.options.limits, server.options.max_connections) {}

FastCgiConnection::~FastCgiConnection() {
    loop_.fastcgi_connections.erase(this);
    server_.stats.open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void FastCgiConnection::start() {
    loop_.fastcgi_connections.insert(this);
    boost::system::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    auto endpoint = socket_.remote_endpoint(ec);
    peer_ = ec ? std::string("unknown") : endpoint.address().to_string();
    auto now = Clock::now();
    idle_since_ = now;
    deadline_ = now + milliseconds(server_.options.header_timeout_ms);
    do_read();
}

void FastCgiConnection::sweep(Clock::time_point now) {
    if (closed_) return;
    const bool idle = !handling_ && !writing_ && !responder_.active();
    if (idle && loop_.closing && now - idle_since_ >= kFastCgiDrainIdleClose) {
        close_now();
        return;
    }
    if (now < deadline_ || handling_) return;
    if (writing_ || idle) {  // the web server stopped reading, or keep-alive ran out
        close_now();
        return;
    }
    answer(408);  // the parameters or the body came too slowly
}

void FastCgiConnection::close_now() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    socket_.close(ec);
}

// Consumes buffered records until a request must be answered or more input is needed.
void FastCgiConnection::process() {
    while (!closed_ && !handling_ && !close_after_write_) {
        std::string_view data(in_.data() + in_begin_, in_.size() - in_begin_);
        bool was_active = responder_.active();
        request_.peer_address = peer_;
        auto step = responder_.feed(data, request_, out_);
        in_begin_ += step.consumed;
        if (!was_active && responder_.active())
            deadline_ = Clock::now() + milliseconds(server_.options.header_timeout_ms);
        if (responder_.reading_body() && step.consumed > 0)
            deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
        if (step.event == fastcgi::Responder::Event::NeedMore) break;
        if (step.event == fastcgi::Responder::Event::Close) {
            log::debug("closing FastCGI connection from " + peer_ + ": " +
                       std::string(step.reason));
            close_now();
            return;
        }
        if (step.event == fastcgi::Responder::Event::Error) {
            if (log::enabled(log::Level::Debug))
                log::debug("FastCGI request from " + peer_ + ": " + std::string(step.reason));
            answer(step.status);
            return;
        }
        dispatch();
    }
    if (closed_) return;
    if (in_begin_ == in_.size()) {
        in_.clear();
        in_begin_ = 0;
    }
    if (!writing_ && !out_.empty()) {
        flush();
        return;
    }
    if (!handling_ && !close_after_write_) do_read();
}

// Answers a bad or slow request ourselves, then closes: the rest of its
// records can no longer be told apart from the next request's.
void FastCgiConnection::answer(int status) {
    handling_ = true;
    server_.stats.in_flight.fetch_add(1, std::memory_order_relaxed);
    response_.reset();
    App::error_page(status, response_);
    request_.method = Method::Get;
    close_after_write_ = true;
    respond();
}

// Runs the view inline, or hands it to the pool, exactly as Connection does.
void FastCgiConnection::dispatch() {
    handling_ = true;
    server_.stats.in_flight.fetch_add(1, std::memory_order_relaxed);
    response_.reset();
    request_.started = Clock::now();
    Router::Match match = server_.app.route(request_);
    if (match.route && match.route->execution == Execution::Pool &&
        !server_.app.answer_inline(match, request_, response_)) {
        auto self = shared_from_this();
        bool queued = server_.pool->try_submit([self, match] {
            self->server_.app.handle(match, self->request_, self->response_);
            asio::post(self->loop_.io, [self] { self->on_handler_done(); });
        });
        if (queued) return;
        server_.stats.shed.fetch_add(1, std::memory_order_relaxed);
        App::error_page(503, response_);
        response_.set_header("Retry-After", "1");
    } else if (!match.route || match.route->execution != Execution::Pool) {
        server_.app.handle(match, request_, response_);
    }
    respond();
}

void FastCgiConnection::on_handler_done() {
    if (closed_) return;
    respond();
    process();
}

void FastCgiConnection::respond() {
    if (!fastcgi::append_response(out_, responder_.request_id(), request_, response_))
        close_after_write_ = true;
    server_.stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    if (!responder_.keep_connection() || loop_.closing) close_after_write_ = true;
    responder_.finish();
    handling_ = false;
    response_.reset();  // a file body's descriptor is not kept past its answer
    idle_since_ = Clock::now();
    deadline_ = idle_since_ + milliseconds(server_.options.keepalive_timeout_ms);
    if (!writing_) flush();
}

void FastCgiConnection::do_read() {
    if (reading_ || closed_) return;
    reading_ = true;
    size_t old = in_.size();
    in_.resize(old + kFastCgiReadSize);
    socket_.async_read_some(
        asio::buffer(in_.data() + old, kFastCgiReadSize),
        [self = shared_from_this(), old](const boost::system::error_code& ec, size_t n) {
            self->reading_ = false;
            self->in_.resize(old + (ec ? 0 : n));
            if (self->closed_) return;
            if (ec) {  // the web server went away: finish what we owe, then close
                if (self->writing_ || self->handling_)
                    self->close_after_write_ = true;
                else
                    self->close_now();
                return;
            }
            if (self->in_begin_ > 0) {  // keep the unconsumed records at the front
                self->in_.erase(0, self->in_begin_);
                self->in_begin_ = 0;
            }
            self->process();
        });
}

void FastCgiConnection::flush() {
    if (closed_ || out_.empty()) return;
    writing_ = true;
    deadline_ = Clock::now() + milliseconds(server_.options.body_timeout_ms);
    server_.stats.bytes_out.fetch_add(out_.size(), std::memory_order_relaxed);
    auto sending = std::make_shared<std::string>(std::move(out_));
    out_.clear();
    asio::async_write(
        socket_, asio::buffer(*sending),
        [self = shared_from_this(), sending](const boost::system::error_code& ec, size_t) {
            self->writing_ = false;
            if (ec || self->closed_) {
                self->close_now();
                return;
            }
            if (self->close_after_write_ && !self->handling_) {
                if (!self->out_.empty()) {
                    self->flush();
                    return;
                }
                boost::system::error_code ignored;
                self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                self->close_now();
                return;
            }
            self->process();
        });
}

}  // namespace famigo::http
