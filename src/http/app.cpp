#include "http/app.hpp"

#include <exception>

#include "core/log.hpp"

namespace famigo::http {

Router::Match App::route(Request& request) const {
    Router::Match match = router_.match(request.method, request.path, request.params);
    request.route = match.route;
    return match;
}

void App::error_page(int status, Response& response) {
    std::string body = std::to_string(status) + " " + std::string(reason_phrase(status)) + "\n";
    response.text(status, body);
}

bool App::answer_inline(const Router::Match&, Request& request, Response& response) const {
    bool answered = false;
    try {
        for (const auto& middleware : middleware_)
            if ((answered = middleware->answer_inline(request, response))) break;
    } catch (const std::exception& e) {
        log::error(std::string("middleware answer_inline() failed: ") + e.what());
        response.reset();
        return false;  // let the normal path answer
    }
    if (!answered) return false;
    for (size_t i = middleware_.size(); i-- > 0;) {
        try {
            middleware_[i]->after(request, response);
        } catch (const std::exception& e) {
            log::error(std::string("middleware after() failed: ") + e.what());
        }
    }
    return true;
}

void App::handle(const Router::Match& match, Request& request, Response& response) const {
    size_t entered = 0;
    bool answered = false;
    try {
        for (; entered < middleware_.size() && !answered; ++entered)
            answered = middleware_[entered]->before(request, response);
        if (!answered) {
            if (match.route) {
                match.route->handler(request, response);
            } else if (match.method_not_allowed) {
                error_page(405, response);
                response.set_header("Allow", allowed_methods_text(match.allowed));
            } else {
                error_page(404, response);
            }
        }
    } catch (const std::exception& e) {
        std::string message = "unhandled error in ";
        message += match.route ? match.route->name : std::string("middleware");
        message += " (request ";
        message += request.request_id;
        message += "): ";
        message += e.what();
        log::error(message);
        response.reset();
        error_page(500, response);
    }
    for (size_t i = entered; i-- > 0;) {
        try {
            middleware_[i]->after(request, response);
        } catch (const std::exception& e) {
            log::error(std::string("middleware after() failed: ") + e.what());
        }
    }
}

}  // namespace famigo::http
