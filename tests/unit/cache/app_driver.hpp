// Drives an http::App the way the server does (route, answer_inline on the
// I/O thread, else the middleware chain and view), without sockets, so page
// cache behaviour can be tested exactly and from many threads at once.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/app.hpp"
#include "http/router.hpp"

namespace famigo::testing {

struct Exchange {
    int status = 0;
    std::string body;
    const std::string* shared = nullptr;  // the shared body's address, when one was sent
    bool answered_inline = false;
    std::map<std::string, std::string> headers;  // lower-case names

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

inline Exchange send(const http::App& app, std::string target, Headers headers = {},
                     http::Method method = http::Method::Get, std::string host = "example.com") {
    http::Request request;
    request.method = method;
    request.method_text = http::method_name(method);
    request.target = target;
    auto q = request.target.find('?');
    request.path = request.target.substr(0, q);
    if (q != std::string_view::npos) request.query = request.target.substr(q + 1);
    request.set_host(host);
    request.add_header("Host", host);
    for (const auto& [name, value] : headers) request.add_header(name, value);

    http::Response response;
    Exchange out;
    auto match = app.route(request);
    if (match.route && match.route->execution == http::Execution::Pool &&
        app.answer_inline(match, request, response)) {
        out.answered_inline = true;
    } else {
        app.handle(match, request, response);
    }
    out.status = response.status;
    if (response.shared_body) {
        out.shared = response.shared_body.get();
        out.body = *response.shared_body;
    } else {
        out.body = response.body;
    }
    for (std::size_t i = 0; i < response.header_count(); ++i) {
        std::string name = response.header_at(i).first;
        for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = response.header_at(i).second;
    }
    return out;
}

// A page-cache QueryKey for test views that echo their whole query string:
// the query as sent is the key.
inline bool whole_query_key(std::string_view query, std::string& canonical) {
    canonical.assign(query);
    return true;
}

}  // namespace famigo::testing
