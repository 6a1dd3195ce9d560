// The catalog's route table: every page and API route, its view, and how the
// page cache keeps it (namespace "catalog", invalidated by the generation
// watcher; the query parameters that make a page: see query.hpp).
#include <chrono>

#include "apps/catalog/catalog.hpp"
#include "apps/catalog/listing_cache.hpp"
#include "apps/catalog/query.hpp"
#include "apps/catalog/views.hpp"
#include "apps/catalog/watcher.hpp"
#include "cache/page/page_cache.hpp"
#include "core/config.hpp"

namespace famigo::apps::catalog {
namespace {

// What install() keeps alive while the server runs. Destroyed in reverse:
// the watcher stops first.
struct CatalogApp {
    ListingCache listings;
    Views views;
    GenerationWatcher watcher;

    explicit CatalogApp(Site& site)
        : listings(site.store, site.models, [this] { return watcher.generation(); }),
          views(site, listings),
          watcher(site.store, site.page_cache, "catalog",
                  std::chrono::milliseconds(site.config.integer("catalog.watch_interval"))) {}
};

}  // namespace

void define_config(config::Schema& schema) {
    schema
        .add({"catalog.page_ttl", config::Kind::DurationMs, "10m",
              "how long catalog pages and API answers stay in the page cache", config::positive})
        .add({"catalog.watch_interval", config::Kind::DurationMs, "2s",
              "how often the catalog generation is read from the store, to invalidate cached "
              "pages after an import",
              config::positive});
}

apps::Running install(Site& site) {
    auto running = std::make_shared<CatalogApp>(site);
    Views& views = running->views;
    const auto ttl = std::chrono::milliseconds(site.config.integer("catalog.page_ttl"));
    using Method = void (Views::*)(const http::Request&, http::Response&);
    auto route = [&](const std::string& name, std::string pattern, Method method,
                     cache::QueryKey query_key, std::chrono::milliseconds page_ttl) {
        site.router.add(name, std::move(pattern),
                        [&views, method](http::Request& request, http::Response& response) {
                            (views.*method)(request, response);
                        });
        site.page_cache.cache_route(name, page_ttl, "catalog", std::move(query_key));
    };
    auto collection = [&](const std::string& name, std::string pattern) {
        site.router.add(name, std::move(pattern),
                        [&views, name](http::Request& request, http::Response& response) {
                            views.collection(request, response, name);
                        });
        site.page_cache.cache_route(name, ttl, "catalog", page_cache_query);
    };

    route("home", "/", &Views::home, cache::ignore_query, ttl);
    route("app-detail", "/app/<slug:slug>/", &Views::app_page, cache::ignore_query, ttl);
    collection("free-apps", "/free-apps/");
    collection("best-free-games", "/best-free-games/");
    collection("approved", "/approved/");
    route("browse", "/browse/", &Views::browse, listing_cache_query, ttl);
    route("about-data", "/about/data/", &Views::about_data, cache::ignore_query, ttl);
    route("api-apps", "/api/v1/apps", &Views::api_list, listing_cache_query, ttl);
    route("api-app", "/api/v1/apps/<slug:slug>", &Views::api_detail, cache::ignore_query, ttl);
    route("api-openapi", "/api/v1/openapi.json", &Views::api_openapi, cache::ignore_query, ttl);
    route("search", "/search/", &Views::search_page, search_cache_query, ttl);
    route("api-search", "/api/v1/search", &Views::api_search, search_cache_query, ttl);
    route("autocomplete", "/autocomplete/", &Views::autocomplete, term_cache_query,
          std::chrono::hours(24));

    running->watcher.start();
    return running;
}

}  // namespace famigo::apps::catalog
