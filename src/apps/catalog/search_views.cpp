// The catalog's search views: the /search/ page, /api/v1/search and the
// autocomplete, all answered by the site search index (search/service.hpp)
// with the apps read back from the store. When the index is unavailable the
// page says so (503), the API answers its JSON error (503), and the
// autocomplete falls back on the store's title prefix, so typing still helps.
#include <unordered_map>

#include "apps/catalog/highlight.hpp"
#include "apps/catalog/listing_cache.hpp"
#include "apps/catalog/mapping.hpp"
#include "apps/catalog/models.hpp"
#include "apps/catalog/present.hpp"
#include "apps/catalog/query.hpp"
#include "apps/catalog/search_docs.hpp"
#include "apps/catalog/views.hpp"
#include "assets/static_files.hpp"
#include "core/log.hpp"
#include "docstore/objects.hpp"
#include "http/errors.hpp"
#include "search/service.hpp"

namespace famigo::apps::catalog {
namespace {

using nlohmann::json;

// The facets the search page and API show, each as the query parameter it
// sets, the index field it counts and the index value behind "1".
struct SearchFacet {
    const char* parameter;
    const char* field;
    const char* flag_value;  // boolean parameters: the index value that "1" selects
};
const SearchFacet kSearchFacets[] = {
    {"platform", "platform", nullptr}, {"age", "age_band", nullptr},
    {"price", "price", nullptr},       {"category", "category", nullptr},
    {"no_ads", "ads", "no"},           {"no_iap", "in_app_purchases", "no"},
    {"approved", "approved", "yes"},
};

search::Query index_query(const SearchQuery& sq) {
    search::Query q;
    q.text = sq.q;
    const ListingQuery& f = sq.filters;
    if (!f.platform.empty()) q.filters["platform"] = {f.platform};
    if (!f.age.empty()) q.filters["age_band"] = age_bands_up_to(f.age);
    if (!f.price.empty()) q.filters["price"] = {f.price};
    if (!f.category.empty()) q.filters["category"] = {f.category};
    if (f.no_ads) q.filters["ads"] = {"no"};
    if (f.no_iap) q.filters["in_app_purchases"] = {"no"};
    if (f.approved) q.filters["approved"] = {"yes"};
    for (const auto& facet : kSearchFacets) q.facets.push_back(facet.field);
    if (sq.sort != "relevance") q.sort = "-" + sq.sort;  // highest, most, newest first
    q.offset = std::size_t((f.page - 1) * f.per_page);
    q.limit = std::size_t(f.per_page);
    return q;
}

// Facets by query parameter: [{value, count}], each count being how many of
// these results the value would leave. Age counts add up the younger bands,
// as the age filter does; a boolean facet has the one value "1".
json facets_json(const search::Result& result) {
    json out = json::object();
    for (const auto& facet : kSearchFacets) {
        json values = json::array();
        auto found = result.facets.find(facet.field);
        const std::vector<search::FacetValue> none;
        const auto& counts = found == result.facets.end() ? none : found->second;
        auto count_of = [&](std::string_view value) -> std::uint64_t {
            for (const auto& v : counts)
                if (v.value == value) return v.count;
            return 0;
        };
        if (facet.flag_value) {
            if (auto n = count_of(facet.flag_value))
                values.push_back({{"value", "1"}, {"count", n}});
        } else if (std::string_view(facet.parameter) == "age") {
            std::uint64_t running = 0;
            for (const auto& band : kAgeBands) {
                running += count_of(band);
                if (running) values.push_back({{"value", band}, {"count", running}});
            }
        } else {
            for (const auto& v : counts)
                if (v.count) values.push_back({{"value", v.value}, {"count", v.count}});
        }
        out[facet.parameter] = std::move(values);
    }
    return out;
}

// The apps of the result's ids, in the result's order (ids the store no
// longer has are skipped: the index is updated a moment after the store).
std::vector<App> apps_in_order(Site& site, const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    std::vector<docstore::Document> wanted(ids.begin(), ids.end());
    auto found = docstore::Objects<App>(site.store, &site.models)
                     .where(docstore::field("_id").in(std::move(wanted)) &&
                            docstore::field("published") == true)
                     .all();
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < found.size(); ++i) at.emplace(found[i].id, i);
    std::vector<App> out;
    out.reserve(found.size());
    for (const auto& id : ids)
        if (auto it = at.find(id); it != at.end()) out.push_back(std::move(found[it->second]));
    return out;
}

search::Service& search_service(Site& site) {
    if (!site.search) throw search::Unavailable("this process has no search index");
    return *site.search;
}

std::string search_link(const SearchQuery& query, std::int64_t page) {
    std::string qs = query.query_string(page);
    return "/search/" + (qs.empty() ? "" : "?" + qs);
}

}  // namespace

void Views::search_page(const http::Request& request, http::Response& response) {
    SearchQuery query = parse_search_query(request.query);
    query.filters.per_page = 20;  // the page has no per_page
    json filters = {{"platform", query.filters.platform}, {"age", query.filters.age},
                    {"price", query.filters.price},       {"category", query.filters.category},
                    {"no_ads", query.filters.no_ads},     {"no_iap", query.filters.no_iap},
                    {"approved", query.filters.approved}, {"sort", query.sort}};
    web::tmpl::Json context = {{"q", query.q}, {"filters", filters}};
    search::Result result;
    try {
        result = search_service(site_).query(index_query(query));
    } catch (const search::Unavailable& e) {
        log::warn(std::string("search page: ") + e.what());
        context["unavailable"] = true;
        site_.render(request, response, "catalog/search.html", std::move(context), 503);
        response.set_header("Retry-After", "30");
        response.set_header("Cache-Control", "no-store");
        return;
    }
    auto total = std::int64_t(result.total);
    std::int64_t pages = std::max<std::int64_t>(1, (total + 19) / 20);
    if (query.filters.page > pages) throw http::NotFound("no such page", "page");

    json apps = json::array();
    for (const auto& app : apps_in_order(site_, result.ids)) {
        json item = present(app);
        item["title_html"] = highlight_html(app.title, query.q);
        apps.push_back(std::move(item));
    }
    // Facet links: each value as a link that sets it (page 1), the chosen
    // one as a link that clears it.
    json facet_links = json::array();
    json facets = facets_json(result);
    for (const auto& facet : kSearchFacets) {
        std::string parameter = facet.parameter;
        auto set = [&](std::string_view value) {
            SearchQuery next = query;
            ListingQuery& f = next.filters;
            bool on = value == "1";
            if (parameter == "platform") f.platform = value;
            if (parameter == "age") f.age = value;
            if (parameter == "price") f.price = value;
            if (parameter == "category") f.category = value;
            if (parameter == "no_ads") f.no_ads = on;
            if (parameter == "no_iap") f.no_iap = on;
            if (parameter == "approved") f.approved = on;
            return search_link(next, 1);
        };
        json values = json::array();
        std::size_t shown = 0;
        for (const auto& v : facets[parameter]) {
            if (++shown > 12) break;  // categories: the 12 most frequent
            std::string value = v["value"].get<std::string>();
            std::string label = value;
            if (parameter == "platform") label = value == "ios" ? "iPhone & iPad" : "Android";
            if (parameter == "age") label = "Ages " + value;
            if (parameter == "price") label = value == "free" ? "Free" : "Paid";
            if (parameter == "category") label = category_name(value);
            if (parameter == "no_ads") label = "No ads";
            if (parameter == "no_iap") label = "No in-app purchases";
            if (parameter == "approved") label = "APProved";
            bool chosen = filters[parameter].is_boolean() ? filters[parameter].get<bool>()
                                                          : filters[parameter] == value;
            values.push_back(
                {{"label", label},
                 {"count", v["count"]},
                 {"chosen", chosen},
                 {"url", chosen ? set(filters[parameter].is_boolean() ? "0" : "") : set(value)}});
        }
        static const std::unordered_map<std::string, std::string> kTitles = {
            {"platform", "Platform"}, {"age", "Age"},    {"price", "Price"},
            {"category", "Category"}, {"no_ads", "Ads"}, {"no_iap", "In-app purchases"},
            {"approved", "Reviewed"}};
        if (!values.empty())
            facet_links.push_back(
                {{"name", parameter}, {"title", kTitles.at(parameter)}, {"values", values}});
    }
    json sorts = json::array();
    for (const auto& sort : kSearchSorts) {
        SearchQuery next = query;
        next.sort = sort;
        sorts.push_back(
            {{"value", sort}, {"url", search_link(next, 1)}, {"chosen", sort == query.sort}});
    }
    SearchQuery suggested = query;
    suggested.q = result.suggestion;
    // (Copies: the context is the template engine's ordered JSON, another type.)
    context["apps"] = apps;
    context["total"] = total;
    context["facets"] = facet_links;
    context["sorts"] = sorts;
    context["suggestion"] = result.suggestion;
    context["suggestion_url"] = result.suggestion.empty() ? "" : search_link(suggested, 1);
    context["pagination"] = {
        {"page", query.filters.page},
        {"pages", pages},
        {"total", total},
        {"prev",
         query.filters.page > 1 ? json(search_link(query, query.filters.page - 1)) : json()},
        {"next",
         query.filters.page < pages ? json(search_link(query, query.filters.page + 1)) : json()},
    };
    site_.render(request, response, "catalog/search.html", std::move(context));
}

void Views::api_search(const http::Request& request, http::Response& response) {
    SearchQuery query = parse_search_query(request.query);
    search::Result result;
    try {
        result = search_service(site_).query(index_query(query));
    } catch (const search::Unavailable& e) {
        log::warn(std::string("search API: ") + e.what());
        json_error(response, 503, "search_unavailable",
                   "search is unavailable at the moment; try again shortly");
        response.set_header("Retry-After", "30");
        response.set_header("Cache-Control", "no-store");
        return;
    }
    json items = json::array();
    for (const auto& app : apps_in_order(site_, result.ids)) items.push_back(present(app));
    auto total = std::int64_t(result.total);
    std::int64_t per_page = query.filters.per_page;
    std::int64_t pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
    auto link = [&](std::int64_t page) {
        std::string qs = query.query_string(page);
        return "/api/v1/search" + (qs.empty() ? "" : "?" + qs);
    };
    std::int64_t page = query.filters.page;
    json body = {{"items", std::move(items)},
                 {"total", total},
                 {"page", page},
                 {"per_page", per_page},
                 {"pages", pages},
                 {"facets", facets_json(result)},
                 {"suggestion", result.suggestion.empty() ? json() : json(result.suggestion)},
                 {"links",
                  {{"prev", page > 1 ? json(link(std::min(page - 1, pages))) : json()},
                   {"next", page < pages ? json(link(page + 1)) : json()}}}};
    json_answer(response, 200, body);
}

void Views::autocomplete(const http::Request& request, http::Response& response) {
    std::string term = parse_term(request.query);
    json out = json::array();
    if (!title_key(term).empty()) {
        std::vector<App> apps;
        try {
            search::Query q;
            q.text = term;
            q.limit = 10;
            q.suggest_below = 0;  // no spelling suggestion wanted
            apps = apps_in_order(
                site_, search_service(site_).query(q, search::QueryKind::autocomplete).ids);
        } catch (const search::Unavailable& e) {
            // Typing still helps: titles starting with the term, from the store.
            log::warn(std::string("autocomplete: ") + e.what() + "; title prefix instead");
            apps = docstore::Objects<App>(site_.store, &site_.models)
                       .where(docstore::field("published") == true && title_prefix_filter(term))
                       .order_by("-rating_count,title_key")
                       .limit(10)
                       .all();
            response.set_header("Cache-Control", "no-store");
        }
        std::string placeholder = site_.static_files.url("img/app-placeholder.svg");
        for (const auto& app : apps)
            out.push_back({{"name", app.title},
                           {"developer", app.developer},
                           {"icon", app.icon_url.empty() ? placeholder : app.icon_url},
                           {"platform", app.platform},
                           {"url", "/app/" + app.slug + "/"}});
    }
    json_answer(response, 200, out);
    if (!response.header("Cache-Control"))
        response.set_header("Cache-Control", "public, max-age=86400");
}

}  // namespace famigo::apps::catalog
