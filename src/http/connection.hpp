// One client connection of the HTTP server, owned by the Loop of its I/O
// thread: reads into a fixed buffer, parses heads in place (views, no copies),
// reads bodies (Content-Length, straight into the body buffer when large, or
// chunked), runs the view inline or on the worker pool, answers pipelined
// requests in order through its ResponseWriter, and enforces the timeouts when
// the loop's sweep calls. Internal to the http module.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http/event_loop.hpp"
#include "http/parser.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/response_writer.hpp"

namespace famigo::http {

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(Server::Impl& server, Loop& loop, tcp::socket socket);
    ~Connection();

    void start();
    // Called by the loop's sweeper: enforces timeouts and the drain.
    void sweep(Clock::time_point now);
    void close_now();

  private:
    enum class State { Idle, Head, Body, Handling, HandlerDone };

    void enter_idle(Clock::time_point now);
    void process();
    void begin_request();
    bool parse_head_step();
    bool body_step();
    void compact_body_bytes() { in_begin_ = in_end_ = body_start_; }
    bool dispatch();
    void on_handler_done();
    void finish_request();
    void fail(int status, std::string_view reason);
    void finish_request_closing();
    void do_read();
    void on_read(const boost::system::error_code& ec, size_t n);
    void flush();
    void on_written(const boost::system::error_code& ec);
    void send_file();
    void after_write();
    void linger();
    void drain_input();

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
    ResponseWriter writer_;

    bool reading_ = false;
    bool in_pool_ = false;  // a pool thread owns request_ and response_
    bool writing_ = false;
    bool close_after_write_ = false;
    bool lingering_ = false;
    bool closed_ = false;
    Clock::time_point deadline_;
    Clock::time_point idle_since_;
};

}  // namespace famigo::http
