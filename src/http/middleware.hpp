// Middleware: code that runs around every view, in the order added. before()
// may answer the request itself (a redirect, a refusal), which skips the view
// and the later middlewares' before(); after() runs for every middleware whose
// before() ran, in reverse order, so logging and metrics see every answer.
// Middlewares are shared by all threads and must be thread-safe.
#pragma once

#include "http/request.hpp"
#include "http/response.hpp"

namespace famigo::http {

class Middleware {
public:
    virtual ~Middleware() = default;
    // Returns true when it has answered the request in `response`.
    virtual bool before(Request&, Response&) { return false; }
    virtual void after(Request&, Response&) {}
};

}  // namespace famigo::http
