// A small blocking HTTP/1.1 client for operations tools (the Nagios check,
// readiness waits): one request per connection, plain http only, with an overall
// deadline. Not for the request path.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace famigo::http {

struct Url {
    std::string host;
    std::string port = "80";
    std::string target = "/";  // path and query
};

// Parses "http://host[:port]/path?query"; throws famigo::Error for anything else.
Url parse_url(const std::string& text);

struct ClientResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

class ClientError : public Error {
  public:
    using Error::Error;
};

// Sends "GET target" with Host and Connection: close; throws ClientError on
// connection failure, timeout or a malformed answer.
ClientResponse get(const Url& url, std::chrono::milliseconds timeout,
                   const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace famigo::http
