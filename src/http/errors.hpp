// The errors a view, a parser or a middleware throws to answer a request with a
// 4xx or 5xx. Each carries what the answer needs — the status, a short machine
// code ("bad_parameter"), a message for people and, when the error is about one
// input, the field it names — so views never build error answers themselves:
// the one error handler of the App (Site::answer_error for the product apps)
// turns it into the friendly HTML page or the API's JSON error shape.
#pragma once

#include <optional>
#include <string>

#include "core/error.hpp"

namespace famigo::http {

class HttpError : public Error {
  public:
    HttpError(int status, std::string code, const std::string& message, std::string field = {})
        : Error(message), status_(status), code_(std::move(code)), field_(std::move(field)) {}

    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& field() const { return field_; }  // empty: not about one input
    // Seconds a client should wait before retrying (503, 429); sent as Retry-After.
    std::optional<int> retry_after;

  private:
    int status_;
    std::string code_;
    std::string field_;
};

// 400: the request's input is malformed or out of range.
class BadRequest : public HttpError {
  public:
    explicit BadRequest(const std::string& message, std::string field = {},
                        std::string code = "bad_request")
        : HttpError(400, std::move(code), message, std::move(field)) {}
};

// 404: nothing at this address (or the object it names does not exist).
class NotFound : public HttpError {
  public:
    explicit NotFound(const std::string& message, std::string field = {})
        : HttpError(404, "not_found", message, std::move(field)) {}
};

}  // namespace famigo::http
