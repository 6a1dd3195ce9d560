// The application as the server sees it: the router, the middleware chain and
// the error pages. handle() runs one request through both and never throws: a
// view's exception becomes a 500 page that shows no internals (the details go
// to the log with the request id).
#pragma once

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

  private:
    Router router_;
    std::vector<std::shared_ptr<Middleware>> middleware_;
    Handler not_found_;
};

}  // namespace famigo::http
