#include "apps/catalog/views.hpp"

#include <algorithm>

#include "apps/catalog/listing_cache.hpp"
#include "apps/catalog/mapping.hpp"
#include "apps/catalog/models.hpp"
#include "apps/catalog/openapi.hpp"
#include "apps/catalog/present.hpp"
#include "apps/catalog/query.hpp"
#include "assets/static_files.hpp"
#include "docstore/objects.hpp"
#include "docstore/store.hpp"
#include "http/errors.hpp"

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

json present_all(const std::vector<App>& apps) {
    json out = json::array();
    for (const auto& app : apps) out.push_back(present(app));
    return out;
}

struct Collection {
    std::string_view route, title, blurb;
    docstore::Filter (*filter)();
    std::string_view order;
};

const Collection kCollections[] = {
    {"free-apps", "Free apps",
     "The best-rated free apps for children (rated 12 and under) that are not games, with at least "
     "1,000 ratings.",
     [] {
         return field("published") == true && field("free") == true &&
                field("category").nin(kGameCategories) && field("age_band").in(kChildBands) &&
                field("rating_count") >= kMinRatingsForBest;
     },
     "-rating,-rating_count,title_key"},
    {"best-free-games", "Best free games",
     "The best-rated free games for children (rated 12 and under), with at least 1,000 ratings.",
     [] {
         return field("published") == true && field("free") == true &&
                field("category").in(kGameCategories) && field("age_band").in(kChildBands) &&
                field("rating_count") >= kMinRatingsForBest;
     },
     "-rating,-rating_count,title_key"},
    {"approved", "Famigo APProved", "Apps our reviewers played and recommend for families.",
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

json Views::listing(const ListingQuery& query) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    auto page = apps.where(listing_filter(query))
                    .order_by(listing_order(query))
                    .skip((query.page - 1) * query.per_page)
                    .limit(query.per_page)
                    .all();
    return {{"items", present_all(page)}, {"total", listings_.count(query)}};
}

void Views::home(const http::Request& request, http::Response& response) {
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

void Views::app_page(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    std::string slug(request.params.get("slug").value_or(""));
    auto app = apps.where(field("slug") == slug && field("published") == true).first();
    if (!app) throw http::NotFound("no app with the slug '" + slug + "'", "slug");
    auto similar = apps.where(field("published") == true && field("category") == app->category &&
                              field("platform") == app->platform && field("slug") != app->slug)
                       .order_by("-rating_count,title_key")
                       .limit(6)
                       .all();
    web::tmpl::Json context = {{"app", present(*app)}, {"similar", present_all(similar)}};
    site_.render(request, response, "catalog/app_detail.html", std::move(context));
}

void Views::collection(const http::Request& request, http::Response& response,
                       std::string_view name) {
    const Collection& c = collection_named(name);
    ListingQuery query;
    query.page = parse_listing_query(request.query).page;  // a collection reads only the page
    docstore::Objects<App> apps(site_.store, &site_.models);
    auto selected = apps.where(c.filter());
    std::int64_t total = selected.count();
    json pages = pagination(request.path, query, total);
    if (query.page > pages["pages"].get<std::int64_t>())
        throw http::NotFound("no such page", "page");
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

void Views::browse(const http::Request& request, http::Response& response) {
    ListingQuery query = parse_listing_query(request.query);
    json result = listing(query);
    json pages = pagination(request.path, query, result["total"].get<std::int64_t>());
    if (query.page > pages["pages"].get<std::int64_t>())
        throw http::NotFound("no such page", "page");
    json filters = {
        {"platform", query.platform}, {"age", query.age},       {"price", query.price},
        {"category", query.category}, {"no_ads", query.no_ads}, {"no_iap", query.no_iap},
        {"approved", query.approved}, {"q", query.q},           {"sort", query.sort}};
    web::tmpl::Json context = {{"apps", result["items"]}, {"pagination", pages},
                               {"filters", filters},      {"categories", listings_.categories()},
                               {"age_bands", kAgeBands},  {"platforms", kPlatforms}};
    site_.render(request, response, "catalog/browse.html", std::move(context));
}

void Views::about_data(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    web::tmpl::Json context = {{"android", apps.where(field("platform") == "android").count()},
                               {"ios", apps.where(field("platform") == "ios").count()}};
    site_.render(request, response, "catalog/about_data.html", std::move(context));
}

void Views::api_list(const http::Request& request, http::Response& response) {
    ListingQuery query = parse_listing_query(request.query);
    json result = listing(query);
    json pages = pagination(request.path, query, result["total"].get<std::int64_t>());
    json body = {
        {"items", result["items"]}, {"total", result["total"]},
        {"page", query.page},       {"per_page", query.per_page},
        {"pages", pages["pages"]},  {"links", {{"prev", pages["prev"]}, {"next", pages["next"]}}}};
    json_answer(response, 200, body);
}

void Views::api_detail(const http::Request& request, http::Response& response) {
    docstore::Objects<App> apps(site_.store, &site_.models);
    std::string slug(request.params.get("slug").value_or(""));
    auto app = apps.where(field("slug") == slug && field("published") == true).first();
    if (!app) throw http::NotFound("no app with the slug '" + slug + "'", "slug");
    json_answer(response, 200, present(*app));
}

void Views::api_openapi(const http::Request&, http::Response& response) {
    // Built once, at the first request: every app has added its part by then.
    static const std::string document = [this] {
        nlohmann::json doc = openapi_document();
        for (const auto& part : site_.openapi_parts) part(doc);
        return doc.dump() + "\n";
    }();
    response.text(200, document, "application/json");
}

}  // namespace famigo::apps::catalog
