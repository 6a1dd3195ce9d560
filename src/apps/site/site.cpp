#include "apps/site/site.hpp"

#include <string>

#include "assets/static_files.hpp"
#include "core/log.hpp"
#include "docstore/errors.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "web/security/messages.hpp"
#include "web/security/web_security.hpp"
#include "web/template/config.hpp"
#include "web/template/engine.hpp"
#include "web/template_cache/template_cache.hpp"

namespace famigo::apps {

void Site::render(const http::Request& request, http::Response& response, std::string_view name,
                  web::tmpl::Json context, int status) const {
    context["request_path"] = std::string(request.path);
    // Flash messages are shown once, on the next page rendered; requests
    // without the messages cookie pay nothing.
    if (!context.contains("messages"))
        context["messages"] =
            web::security::Messages::to_context(security.messages->consume(request, response));
    for (const auto& processor : context_processors) processor(request, response, context);
    response.text(status, templates->render(std::string(name), context),
                  "text/html; charset=utf-8");
}

void json_answer(http::Response& response, int status, const nlohmann::json& body) {
    std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    response.text(status, text, "application/json");
}

void json_error(http::Response& response, int status, std::string_view code,
                std::string_view message, std::string_view field) {
    nlohmann::json error = {{"code", code},
                            {"message", message},
                            {"field", field.empty() ? nlohmann::json() : nlohmann::json(field)}};
    json_answer(response, status, {{"error", error}});
}

namespace {

// Seconds an API client or a browser is asked to wait while the store is down.
constexpr int kStoreRetryAfter = 5;

std::string_view error_title(int status) {
    switch (status) {
        case 400:
            return "That request didn't work";
        case 403:
            return "That isn't allowed";
        case 404:
            return "We couldn't find that page";
        case 405:
            return "That isn't allowed here";
        case 413:
            return "That was too much to send";
        case 429:
            return "Too many tries";
        case 503:
            return "We'll be right back";
        default:
            return "Something went wrong on our side";
    }
}

// Every error as the HttpError it is answered with: domain errors mapped once.
http::HttpError as_http_error(const http::Request& request, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const http::HttpError& e) {
        return e;
    } catch (const docstore::ValidationError& e) {
        return http::HttpError(400, "invalid", e.what(), e.field());
    } catch (const docstore::Unavailable& e) {
        log::warn("store unavailable (request " + std::string(request.request_id) +
                  "): " + e.what());
        http::HttpError unavailable(503, "unavailable",
                                    "The site's data is unreachable for a moment; please try "
                                    "again shortly.");
        unavailable.retry_after = kStoreRetryAfter;
        return unavailable;
    } catch (const std::exception& e) {
        http::App::log_unhandled(request, e.what());
    } catch (...) {
        http::App::log_unhandled(request, "an exception that is not a std::exception");
    }
    return http::HttpError(500, "internal", "The error is logged and we will look into it.");
}

}  // namespace

void Site::answer_error(const http::Request& request, http::Response& response,
                        std::exception_ptr error) const {
    http::HttpError e = as_http_error(request, error);
    if (request.path.starts_with("/api/")) {  // API clients get the API's error shape
        json_error(response, e.status(), e.code(), e.what(), e.field());
    } else if (e.status() == 404) {
        render(request, response, "404.html", web::tmpl::Json::object(), 404);
    } else {
        web::tmpl::Json context = {
            {"status", e.status()}, {"title", error_title(e.status())}, {"message", e.what()}};
        render(request, response, "error.html", std::move(context), e.status());
    }
    if (e.retry_after) response.set_header("Retry-After", std::to_string(*e.retry_after));
}

void Site::not_found(const http::Request& request, http::Response& response) const {
    answer_error(request, response,
                 std::make_exception_ptr(http::NotFound(
                     request.path.starts_with("/api/") ? "no such API endpoint" : "no such page")));
}

std::shared_ptr<const web::tmpl::Engine> make_template_engine(
    const config::Config& config, const http::Router& router,
    const assets::StaticFiles& static_files, cache::Cache& cache) {
    web::tmpl::EngineOptions options = web::tmpl::engine_options(config);
    options.url_resolver = [&router](
                               std::string_view name, std::span<const web::tmpl::Value> args,
                               std::span<const std::pair<std::string, web::tmpl::Value>> kwargs)
        -> std::optional<std::string> {
        const http::Route* route = router.find(name);
        if (!route) return std::nullopt;
        // Positional arguments fill the route's parameters in order, as Django's args.
        std::vector<std::string> texts;
        std::vector<http::Router::ReverseParam> params;
        texts.reserve(args.size() + kwargs.size());
        std::size_t next_arg = 0;
        for (const auto& segment : route->segments) {
            if (segment.converter == http::Route::Converter::Literal || next_arg >= args.size())
                continue;
            texts.push_back(args[next_arg++].str());
            params.emplace_back(segment.text, texts.back());
        }
        if (next_arg != args.size()) return std::nullopt;
        for (const auto& [key, value] : kwargs) {
            texts.push_back(value.str());
            params.emplace_back(key, texts.back());
        }
        try {
            return router.reverse(name, params);
        } catch (const std::exception&) {
            return std::nullopt;  // the tag reports NoReverseMatch with the name
        }
    };
    options.static_url = [&static_files](std::string_view path) { return static_files.url(path); };
    options.fragment_cache = std::make_shared<web::TemplateFragmentCache>(cache);
    return std::make_shared<const web::tmpl::Engine>(std::move(options));
}

}  // namespace famigo::apps
