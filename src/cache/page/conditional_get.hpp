// ETag and 304 for dynamic pages, as Django's ConditionalGetMiddleware: a 200
// answer of a view (a Pool route; static files and health checks are left
// alone) to GET or HEAD with an in-memory body and no ETag gets one (a hash of
// the body), and a request whose If-None-Match names it gets 304 without the
// body. Saves the bytes, not the render: pages that should not be rendered at
// all on a repeat visit belong in the page cache. Put it before the page cache
// in the chain, so it also sees cached answers (which carry their own ETag).
#pragma once

#include "http/middleware.hpp"

namespace famigo::cache {

class ConditionalGet : public http::Middleware {
  public:
    void after(http::Request& request, http::Response& response) override;
    bool runs_inline(const http::Request&) const override { return true; }
};

}  // namespace famigo::cache
