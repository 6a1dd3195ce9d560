// The application as the server sees it: the router, the middleware chain and
// the error pages. handle() runs one request through both and never throws:
// whatever a middleware or view throws goes to the one error handler, which
// answers an HttpError with its status and anything else with a 500 page that
// shows no internals (the details go to the log with the request id).
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/middleware.hpp"
#include "http/router.hpp"

namespace famigo::http {

class App {
  public:
    Router& router() { return router_; }
    const Router& router() const { return router_; }
    void use(std::shared_ptr<Middleware> middleware) {
        middleware_.push_back(std::move(middleware));
    }
    // Answers requests no route matches (a friendly 404 page). It runs on the
    // I/O thread, so it must not block. Unset: a plain-text 404.
    void set_not_found(Handler handler) { not_found_ = std::move(handler); }

    // The one place that turns a thrown error into the answer (the product
    // apps' friendly page or JSON error). Unset: default_error_answer().
    using ErrorHandler = std::function<void(const Request&, Response&, std::exception_ptr)>;
    void set_error_handler(ErrorHandler handler) { error_handler_ = std::move(handler); }

    // Finds the route (and where it must run) before any work is done.
    Router::Match route(Request& request) const;

    // Runs middleware and the matched view. `match` comes from route().
    void handle(const Router::Match& match, Request& request, Response& response) const;

    // For a Pool route, on the I/O thread: runs the inline part of the chain
    // (see Middleware). True when the response is complete; otherwise handle()
    // continues from where it stopped, on the pool.
    bool answer_inline(const Router::Match& match, Request& request, Response& response) const;

    // Answers with a plain error page (also used by the server for 4xx/5xx it makes itself).
    static void error_page(int status, Response& response);
    // A plain-text answer: an HttpError's status (and Retry-After), or 500 for
    // anything else, which is logged with the route and request id.
    static void default_error_answer(const Request& request, Response& response,
                                     std::exception_ptr error);
    // Logs an error that becomes a 500, naming the route and the request id.
    static void log_unhandled(const Request& request, std::string_view what);

  private:
    Router router_;
    std::vector<std::shared_ptr<Middleware>> middleware_;
    Handler not_found_;
    ErrorHandler error_handler_;

    // Resets the response and answers `error` through the error handler.
    void answer_error(Request& request, Response& response, std::exception_ptr error) const;
};

}  // namespace famigo::http
