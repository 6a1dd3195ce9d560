// What every product app (catalog, accounts, ...) is given at start-up: the
// store, the cache, the template engine, the security helpers, the router and
// site search,
// plus the few helpers views share (render a page, a friendly 404) and the one
// error handler that turns what views throw into answers. `serve` builds one
// Site after the components it points to and before the server starts; apps
// keep a reference to it (it outlives the server).
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "web/template/value.hpp"

namespace famigo {
namespace config {
class Config;
}
namespace docstore {
class Store;
class ModelRegistry;
}  // namespace docstore
namespace cache {
class Cache;
class PageCache;
}  // namespace cache
namespace assets {
class StaticFiles;
}
namespace web::tmpl {
class Engine;
}
namespace web::security {
struct WebSecurity;
}
namespace web::auth {
class Auth;
}
namespace search {
class Service;
}
namespace mail {
struct Message;
}
}  // namespace famigo

namespace famigo::apps {

// What an installed app keeps alive while the server runs (its views, caches,
// background threads); serve destroys it before the Site.
using Running = std::shared_ptr<void>;

// Adds request-dependent values to every page's context (e.g. "user"). The
// response is there for values that need a cookie (a CSRF token).
using ContextProcessor =
    std::function<void(const http::Request&, http::Response&, web::tmpl::Json& context)>;

struct Site {
    const config::Config& config;
    docstore::Store& store;
    docstore::ModelRegistry& models;
    cache::Cache& cache;
    cache::PageCache& page_cache;
    const assets::StaticFiles& static_files;
    const web::security::WebSecurity& security;
    const web::auth::Auth& auth;  // sessions, users, login throttling
    http::Router& router;
    std::shared_ptr<const web::tmpl::Engine> templates;
    std::vector<ContextProcessor> context_processors;
    // Site search (search/service.hpp); null where a process serves no search
    // (the catalog then answers its search routes 503).
    search::Service* search = nullptr;
    // What other apps add to the OpenAPI document of /api/v1 (the catalog's
    // /api/v1/openapi.json): each adds its paths and schemas in install(),
    // before the first request builds the document.
    std::vector<std::function<void(nlohmann::json& document)>> openapi_parts;
    // Sends a mail with rendered parts through the task queue (serve binds
    // it to famigo.mail.send, so an SMTP outage delays mail, never loses it).
    // Empty where a process sends no mail: the views then say so with a 503.
    std::function<void(const mail::Message&)> send_mail;

    // Renders a template into an HTML answer. The context gains "request_path"
    // and whatever the context processors add; its keys keep insertion order.
    void render(const http::Request& request, http::Response& response, std::string_view name,
                web::tmpl::Json context, int status = 200) const;
    // The friendly 404 page (templates/404.html).
    void not_found(const http::Request& request, http::Response& response) const;

    // The App's error handler (http::App::set_error_handler): the one place
    // that maps errors to answers. An http::HttpError keeps its status, code
    // and field; a docstore::ValidationError is a 400 naming the field; an
    // unreachable store a 503 with Retry-After; anything else a logged 500
    // that shows no internals. Under /api/ the answer is the API's JSON error,
    // elsewhere the friendly page (404.html, or error.html).
    void answer_error(const http::Request& request, http::Response& response,
                      std::exception_ptr error) const;
};

// JSON answers for APIs: the body with invalid UTF-8 replaced (never a throw),
// and the one error shape {"error": {"code", "message", "field"}} (field null
// when the error is not about one parameter).
void json_answer(http::Response& response, int status, const nlohmann::json& body);
void json_error(http::Response& response, int status, std::string_view code,
                std::string_view message, std::string_view field = {});

// The template engine for the site: templates.dirs / templates.debug, {% url %}
// through the router (names and positional or keyword arguments, as Django),
// {% static %} through the static files' manifest, {% cache %} on `cache`.
std::shared_ptr<const web::tmpl::Engine> make_template_engine(
    const config::Config& config, const http::Router& router,
    const assets::StaticFiles& static_files, cache::Cache& cache);

}  // namespace famigo::apps
