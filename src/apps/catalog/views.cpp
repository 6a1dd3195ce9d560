#include "apps/catalog/views.hpp"

#include <algorithm>
#include <chrono>

#include "apps/catalog/app.hpp"
#include "apps/catalog/generation.hpp"
#include "apps/catalog/mapping.hpp"
#include "apps/catalog/openapi.hpp"
#include "apps/catalog/present.hpp"
#include "apps/catalog/query.hpp"
#include "assets/static_files.hpp"
#include "cache/page/page_cache.hpp"
#include "core/log.hpp"
#include "docstore/errors.hpp"
#include "docstore/objects.hpp"
#include "docstore/store.hpp"
#include "web/security/form_data.hpp"

namespace famigo::apps::catalog {
namespace {

using docstore::field;
using nlohmann::json;

// Store categories that hold games ("GAME" on Google Play, "Games" on the App Store).
const std::vector<docstore::Document> kGameCategories = {"game", "games"};
// A "best" list needs enough ratings to mean something.
constexpr std::int64_t kMinRatingsForBest = 1000;
// The "best free" lists are for families: apps rated for children (12 and under).
const std::vector<docstore::Document> kChildBands = {"0-5", "6-8", "9-12"};
// Distinct filter combinations whose counts are kept (a bound against
// crawlers walking every combination).
constexpr std::size_t kMaxCachedCounts = 10000;

json present_all(const std::vector<App>& apps) {
    json out = json::array();
    for (const auto& app : apps) out.push_back(present(app));
    return out;
}

struct Collection {
    std::string_view route, path, title, blurb;
    docstore::Filter (*filter)();
    std::string_view order;
};

const Collection kCollections[] = {
    {"free-apps", "/free-apps/", "Free apps",
     "The best-rated free apps for children (rated 12 and under) that are not games, with at least "
     "1,000 ratings.",
     [] {
         return field("published") == true && field("free") == true &&
                field("category").nin(kGameCategories) && field("age_band").in(kChildBands) &&
                field("rating_count") >= kMinRatingsForBest;
     },
     "-rating,-rating_count,title_key"},
    {"best-free-games", "/best-free-games/", "Best free games",
     "The best-rated free games for children (rated 12 and under), with at least 1,000 ratings.",
     [] {
         return field("published") == true && field("free") == true &&
                field("category").in(kGameCategories) && field("age_band").in(kChildBands) &&
                field("rating_count") >= kMinRatingsForBest;
     },
     "-rating,-rating_count,title_key"},
    {"approved", "/approved/", "Famigo APProved",
     "Apps our reviewers played and recommend for families.",
     [] { return field("published") == true && field("approved") == true; },
     "-rating_count,title_key"},
};

const Collection& collection_named(std::string_view name) {
    for (const auto& c : kCollections)
        if (c.route == name) return c;
    throw Error("no catalog collection named " + std::string(name));
}

json pagination(std::string_view base_path, const ListingQuery& query, std::int64_t total) {
    std::int64_t pages = std::max<std::int64_t>(1, (total + query.per_page - 1) / query.per_page);
    auto link = [&](std::int64_t page) {
        std::string qs = query.query_string(page);
        return std::string(base_path) + (qs.empty() ? "" : "?" + qs);
    };
    return {
        {"page", query.page},
        {"pages", pages},
        {"per_page", query.per_page},
        {"total", total},
        {"prev", query.page > 1 ? json(link(std::min(query.page - 1, pages))) : json()},
        {"next", query.page < pages ? json(link(query.page + 1)) : json()},
    };
}

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

Catalog::Catalog(Site& site) : site_(site) {}

Catalog::~Catalog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    if (watcher_.joinable()) watcher_.join();
}

std::int64_t Catalog::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void Catalog::watch() {
    auto interval = std::chrono::milliseconds(site_.config.integer("catalog.watch_interval"));
    std::unique_lock lock(mutex_);
    while (!stop_signal_.wait_for(lock, interval, [this] { return stopping_; })) {
        lock.unlock();
        std::int64_t seen = 0;
        try {
            seen = read_generation(site_.store);
        } catch (const std::exception& e) {
            log::warn(std::string("catalog: cannot read the catalog generation: ") + e.what());
            lock.lock();
            continue;
        }
        lock.lock();
        if (seen != generation_) {
            generation_ = seen;
            lock.unlock();
            site_.page_cache.invalidate("catalog");
            log::info("catalog: generation " + std::to_string(seen) + ", cached pages invalidated");
            lock.lock();
        }
    }
}

void Catalog::install() {
    try {
        generation_ = read_generation(site_.store);
    } catch (const docstore::Unavailable& e) {  // the watcher reads it once the store is back
        log::warn(std::string("catalog: store unreachable at start: ") + e.what());
    }
    http::Router& router = site_.router;
    auto ttl = std::chrono::milliseconds(site_.config.integer("catalog.page_ttl"));
    auto add = [&](std::string name, std::string pattern, auto method,
                   std::chrono::milliseconds page_ttl) {
        router.add(name, std::move(pattern),
                   [this, method](http::Request& request, http::Response& response) {
                       (this->*method)(request, response);
                   });
        site_.page_cache.cache_route(name, page_ttl, "catalog");
    };
    add("home", "/", &Catalog::home, ttl);
    add("app-detail", "/app/<slug:slug>/", &Catalog::app_page, ttl);
    for (const auto& c : kCollections) {
        std::string name(c.route);
        router.add(name, std::string(c.path),
                   [this, name](http::Request& request, http::Response& response) {
                       collection(request, response, name);
                   });
        site_.page_cache.cache_route(name, ttl, "catalog");
    }
    add("browse", "/browse/", &Catalog::browse, ttl);
    add("about-data", "/about/data/", &Catalog::about_data, ttl);
    add("api-apps", "/api/v1/apps", &Catalog::api_list, ttl);
    add("api-app", "/api/v1/apps/<slug:slug>", &Catalog::api_detail, ttl);
    add("api-openapi", "/api/v1/openapi.json", &Catalog::api_openapi, ttl);
    add("autocomplete", "/autocomplete/", &Catalog::autocomplete, std::chrono::hours(24));
    watcher_ = std::thread([this] { watch(); });
}

std::int64_t Catalog::count(const ListingQuery& query) {
    ListingQuery filters_only = query;  // the key: filters, not sort or page
    filters_only.sort = "rating";
    filters_only.per_page = 20;
    std::string key = filters_only.query_string(1);
    std::int64_t current = generation();
    {
        std::lock_guard lock(mutex_);
        if (counts_generation_ != current || counts_.size() >= kMaxCachedCounts) {
            counts_.clear();
            counts_generation_ = current;
        }
        if (auto it = counts_.find(key); it != counts_.end()) return it->second;
    }
    docstore::Objects<App> apps(site_.store, &site_.models);
    std::int64_t total = apps.where(listing_filter(query)).count();
    std::lock_guard lock(mutex_);
    if (counts_generation_ == current) counts_.emplace(std::move(key), total);
    return total;
}

json Catalog::listing(const ListingQuery& query) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    auto selected = apps.where(listing_filter(query));
    std::int64_t total = count(query);
    auto page = selected.order_by(listing_order(query))
                    .skip((query.page - 1) * query.per_page)
                    .limit(query.per_page)
                    .all();
    return {{"items", present_all(page)}, {"total", total}};
}

json Catalog::categories() {
    std::int64_t current = generation();
    {
        std::lock_guard lock(mutex_);
        if (categories_generation_ == current) return categories_;
    }
    docstore::Objects<App> apps(site_.store, &site_.models);
    json out = json::array();
    for (const auto& slug : apps.where(field("published") == true).distinct("category")) {
        if (!slug.is_string() || slug.get<std::string>().empty()) continue;
        out.push_back({{"slug", slug}, {"name", category_name(slug.get<std::string>())}});
    }
    std::sort(out.begin(), out.end(),
              [](const json& a, const json& b) { return a["name"] < b["name"]; });
    std::lock_guard lock(mutex_);
    categories_ = out;
    categories_generation_ = current;
    return out;
}

void Catalog::home(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    auto shelf = [&](const Collection& c, std::int64_t n) {
        return present_all(apps.where(c.filter()).order_by(c.order).limit(n).all());
    };
    web::tmpl::Json context = {
        {"approved", shelf(collection_named("approved"), 8)},
        {"best_free_games", shelf(collection_named("best-free-games"), 8)},
        {"free_apps", shelf(collection_named("free-apps"), 8)},
        {"total_apps_text", with_thousands(apps.where(field("published") == true).count())},
    };
    site_.render(request, response, "catalog/home.html", std::move(context));
}

void Catalog::app_page(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    std::string slug(request.params.get("slug").value_or(""));
    auto app = apps.where(field("slug") == slug && field("published") == true).first();
    if (!app) return site_.not_found(request, response);
    auto similar = apps.where(field("published") == true && field("category") == app->category &&
                              field("platform") == app->platform && field("slug") != app->slug)
                       .order_by("-rating_count,title_key")
                       .limit(6)
                       .all();
    web::tmpl::Json context = {{"app", present(*app)}, {"similar", present_all(similar)}};
    site_.render(request, response, "catalog/app_detail.html", std::move(context));
}

void Catalog::collection(const http::Request& request, http::Response& response,
                         std::string_view name) {
    const Collection& c = collection_named(name);
    ListingQuery query;
    try {
        ListingQuery asked = parse_listing_query(request.query);
        query.page = asked.page;
    } catch (const BadParameter& e) {
        site_.render(request, response, "catalog/bad_request.html", {{"message", e.what()}}, 400);
        return;
    }
    docstore::Objects<App> apps(site_.store, &site_.models);
    auto selected = apps.where(c.filter());
    std::int64_t total = selected.count();
    json pages = pagination(c.path, query, total);
    if (query.page > pages["pages"].get<std::int64_t>()) return site_.not_found(request, response);
    auto items = selected.order_by(c.order)
                     .skip((query.page - 1) * query.per_page)
                     .limit(query.per_page)
                     .all();
    web::tmpl::Json context = {{"title", c.title},
                               {"blurb", c.blurb},
                               {"apps", present_all(items)},
                               {"pagination", pages}};
    site_.render(request, response, "catalog/collection.html", std::move(context));
}

void Catalog::browse(const http::Request& request, http::Response& response) {
    ListingQuery query;
    try {
        query = parse_listing_query(request.query);
    } catch (const BadParameter& e) {
        site_.render(request, response, "catalog/bad_request.html", {{"message", e.what()}}, 400);
        return;
    }
    json result = listing(query);
    json pages = pagination("/browse/", query, result["total"].get<std::int64_t>());
    if (query.page > pages["pages"].get<std::int64_t>()) return site_.not_found(request, response);
    json filters = {
        {"platform", query.platform}, {"age", query.age},       {"price", query.price},
        {"category", query.category}, {"no_ads", query.no_ads}, {"no_iap", query.no_iap},
        {"approved", query.approved}, {"q", query.q},           {"sort", query.sort}};
    web::tmpl::Json context = {{"apps", result["items"]}, {"pagination", pages},
                               {"filters", filters},      {"categories", categories()},
                               {"age_bands", kAgeBands},  {"platforms", kPlatforms}};
    site_.render(request, response, "catalog/browse.html", std::move(context));
}

void Catalog::about_data(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    web::tmpl::Json context = {{"android", apps.where(field("platform") == "android").count()},
                               {"ios", apps.where(field("platform") == "ios").count()}};
    site_.render(request, response, "catalog/about_data.html", std::move(context));
}

void Catalog::api_list(const http::Request& request, http::Response& response) {
    ListingQuery query;
    try {
        query = parse_listing_query(request.query);
    } catch (const BadParameter& e) {
        return json_error(response, 400, "bad_parameter", e.what(), e.field());
    }
    json result = listing(query);
    json pages = pagination("/api/v1/apps", query, result["total"].get<std::int64_t>());
    json body = {
        {"items", result["items"]}, {"total", result["total"]},
        {"page", query.page},       {"per_page", query.per_page},
        {"pages", pages["pages"]},  {"links", {{"prev", pages["prev"]}, {"next", pages["next"]}}}};
    json_answer(response, 200, body);
}

void Catalog::api_detail(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    std::string slug(request.params.get("slug").value_or(""));
    auto app = apps.where(field("slug") == slug && field("published") == true).first();
    if (!app)
        return json_error(response, 404, "not_found", "no app with the slug '" + slug + "'",
                          "slug");
    json_answer(response, 200, present(*app));
}

void Catalog::api_openapi(const http::Request&, http::Response& response) {
    static const std::string document = openapi_document().dump() + "\n";
    response.text(200, document, "application/json");
}

void Catalog::autocomplete(const http::Request& request, http::Response& response) {
    std::string term;
    try {
        auto params = web::security::parse_urlencoded(request.query, web::security::FormLimits{});
        term = std::string(params.get("term").value_or(""));
    } catch (const web::security::BadForm&) {
        return json_error(response, 400, "bad_parameter", "malformed query string", "term");
    }
    if (term.size() > 100)
        return json_error(response, 400, "bad_parameter", "'term' is longer than 100 characters",
                          "term");
    json out = json::array();
    if (!title_key(term).empty()) {
        docstore::Objects<App> apps(site_.store, &site_.models);
        std::string placeholder = site_.static_files.url("img/app-placeholder.svg");
        for (const auto& app : apps.where(field("published") == true && title_prefix_filter(term))
                                   .order_by("-rating_count,title_key")
                                   .limit(10)
                                   .all())
            out.push_back({{"name", app.title},
                           {"developer", app.developer},
                           {"icon", app.icon_url.empty() ? placeholder : app.icon_url},
                           {"platform", app.platform},
                           {"url", "/app/" + app.slug + "/"}});
    }
    json_answer(response, 200, out);
    response.set_header("Cache-Control", "public, max-age=86400");
}

}  // namespace famigo::apps::catalog
