#include "http/app.hpp"

#include <exception>

#include "core/log.hpp"
#include "http/errors.hpp"

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

void App::log_unhandled(const Request& request, std::string_view what) {
    std::string message = "unhandled error in ";
    message += request.route ? request.route->name : std::string("middleware");
    message += " (request ";
    message += request.request_id;
    message += "): ";
    message += what;
    log::error(message);
}

void App::default_error_answer(const Request& request, Response& response,
                               std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const HttpError& e) {
        error_page(e.status(), response);
        if (e.retry_after) response.set_header("Retry-After", std::to_string(*e.retry_after));
    } catch (const std::exception& e) {
        log_unhandled(request, e.what());
        error_page(500, response);
    } catch (...) {
        log_unhandled(request, "an exception that is not a std::exception");
        error_page(500, response);
    }
}

void App::answer_error(Request& request, Response& response, std::exception_ptr error) const {
    response.reset();
    if (!error_handler_) return default_error_answer(request, response, error);
    try {
        error_handler_(request, response, error);
    } catch (const std::exception& e) {  // the error page itself failed: a plain one
        log::error(std::string("error handler failed: ") + e.what());
        response.reset();
        default_error_answer(request, response, error);
    }
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
    } catch (...) {
        answer_error(request, response, std::current_exception());
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
    } catch (...) {
        answer_error(request, response, std::current_exception());
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
