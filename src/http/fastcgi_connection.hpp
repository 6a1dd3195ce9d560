// One connection from a web server speaking FastCGI to us (server.protocol =
// fastcgi), owned by the Loop of its I/O thread like an HTTP Connection: it
// reads records, lets fastcgi::Responder turn them into a Request, runs the
// same App (inline or on the worker pool, a full queue answering 503), writes
// the answer as records, and keeps the HTTP server's timeouts and drain.
// Internal to the http module.
#pragma once

#include <memory>
#include <string>

#include "http/event_loop.hpp"
#include "http/fastcgi.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::http {

class FastCgiConnection : public std::enable_shared_from_this<FastCgiConnection> {
  public:
    FastCgiConnection(Server::Impl& server, Loop& loop, tcp::socket socket);
    ~FastCgiConnection();

    void start();
    // Called by the loop's sweeper: enforces timeouts and the drain.
    void sweep(Clock::time_point now);
    void close_now();

  private:
    void process();
    void answer(int status);
    void dispatch();
    void on_handler_done();
    void respond();
    void do_read();
    void flush();

    Server::Impl& server_;
    Loop& loop_;
    tcp::socket socket_;
    std::string peer_;
    fastcgi::Responder responder_;
    std::string in_;
    size_t in_begin_ = 0;
    std::string out_;
    Request request_;
    Response response_;

    bool reading_ = false;
    bool writing_ = false;
    bool handling_ = false;  // a request is being answered (inline or on the pool)
    bool close_after_write_ = false;
    bool closed_ = false;
    Clock::time_point deadline_;
    Clock::time_point idle_since_;
};

}  // namespace famigo::http
