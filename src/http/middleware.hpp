// Middleware: code that runs around every view, in the order added. before()
// may answer the request itself (a redirect, a refusal), which skips the view
// and the later middlewares' before(); after() runs for every middleware whose
// before() ran, in reverse order, so logging and metrics see every answer.
// Middlewares are shared by all threads and must be thread-safe.
//
// For routes that run on the worker pool, answer_inline() is offered first, on
// the I/O thread, so that a cheap answer (a page-cache hit in memory) never
// waits for a pool thread. It must not block. When a middleware answers there,
// no before() and no view runs, but every middleware's after() does (so ids,
// metrics and the access log see the request).
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
    // Returns true when it has answered on the I/O thread (Pool routes only).
    virtual bool answer_inline(Request&, Response&) { return false; }
};

}  // namespace famigo::http
