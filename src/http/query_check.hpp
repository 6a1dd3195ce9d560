// Refuses a request whose query string is malformed — a '%' not followed by
// two hex digits, or an encoded NUL byte — with a 400 ("bad_query") before
// the page cache or a view reads it, so every route answers bad input the
// same way: through the App's one error handler (the friendly page, or the
// API's JSON error). Cheap, so it runs on the I/O thread.
#pragma once

#include <string_view>

#include "http/middleware.hpp"

namespace famigo::http {

// Empty when well-formed; otherwise why not, for the 400's message.
std::string_view query_problem(std::string_view query);

class QueryCheckMiddleware : public Middleware {
  public:
    // Throws BadRequest for a malformed query string.
    bool before(Request& request, Response& response) override;
    bool runs_inline(const Request&) const override { return true; }
};

}  // namespace famigo::http
