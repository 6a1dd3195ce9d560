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
    size_t run_after = 0;  // after() runs for middlewares [0, run_after)
    bool answered = false;
    try {
        for (size_t i = request.middleware_entered; i < middleware_.size(); ++i) {
            Middleware& middleware = *middleware_[i];
            if (middleware.answer_inline(request, response)) {
                answered = true;
                run_after = i + 1;
                break;
            }
            if (!middleware.runs_inline(request)) break;
            request.middleware_entered = i + 1;
            if (middleware.before(request, response)) {
                answered = true;
                run_after = i + 1;
                break;
            }
        }
    } catch (const std::exception& e) {
        log::error(std::string("middleware failed on the I/O thread: ") + e.what());
        response.reset();
        error_page(500, response);
        answered = true;
        run_after = request.middleware_entered;
    }
    if (!answered) return false;
    for (size_t i = run_after; i-- > 0;) {
        try {
            middleware_[i]->after(request, response);
        } catch (const std::exception& e) {
            log::error(std::string("middleware after() failed: ") + e.what());
        }
    }
    return true;
}

void App::handle(const Router::Match& match, Request& request, Response& response) const {
    size_t entered = request.middleware_entered;  // some may have run inline already
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
            } else if (not_found_) {
                not_found_(request, response);
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
