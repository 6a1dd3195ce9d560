// Middleware: code that runs around every view, in the order added. before()
// may answer the request itself (a redirect, a refusal), which skips the view
// and the later middlewares' before(); after() runs for every middleware whose
// before() ran, in reverse order, so logging and metrics see every answer.
// Middlewares are shared by all threads and must be thread-safe.
//
// For routes that run on the worker pool, the chain starts on the I/O thread:
// each middleware in turn is offered answer_inline() (a page-cache hit in
// memory), then, if runs_inline() says its before() is cheap and never blocks,
// its before() runs there too. At the first middleware that cannot run inline
// the rest of the chain, the view and the after()s move to the pool. So every
// check before a middleware has run when it answers inline, and after() runs
// for each middleware whose before() ran, plus the one that answered.
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
    // Returns true when it has answered on the I/O thread (Pool routes only). Must not block.
    virtual bool answer_inline(Request&, Response&) { return false; }
    // True when before() for this request is cheap and never blocks, so it may
    // run on the I/O thread. The safe default is false.
    virtual bool runs_inline(const Request&) const { return false; }
};

}  // namespace famigo::http
