#include "http/query_check.hpp"

#include <string>

#include "http/errors.hpp"

namespace famigo::http {
namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string_view query_problem(std::string_view query) {
    for (std::size_t i = query.find('%'); i != std::string_view::npos; i = query.find('%', i + 1)) {
        if (i + 2 >= query.size() || !is_hex(query[i + 1]) || !is_hex(query[i + 2]))
            return "a '%' must be followed by two hex digits";
        if (query[i + 1] == '0' && query[i + 2] == '0') return "'%00' (a NUL byte) is not allowed";
    }
    return {};
}

bool QueryCheckMiddleware::before(Request& request, Response&) {
    std::string_view problem = query_problem(request.query);
    if (!problem.empty())
        throw BadRequest("malformed query string: " + std::string(problem), "", "bad_query");
    return false;
}

}  // namespace famigo::http
