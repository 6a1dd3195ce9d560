// The catalog's pages and API on a Site: home, app pages, the collections,
// browse, /api/v1/apps and its OpenAPI document, and the autocomplete.
// Anonymous pages go through the page cache (namespace "catalog"); a watcher
// thread invalidates that namespace when an import bumps the catalog's
// generation in the store (collection "meta", _id "catalog"), so a
// `famigo import` run from another process shows up within
// catalog.watch_interval.
//
// Config keys (defined here):
//   catalog.page_ttl        page-cache lifetime of catalog pages and API answers ("10m")
//   catalog.watch_interval  how often the store's catalog generation is read ("2s")
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unordered_map>

#include "apps/site/site.hpp"
#include "core/config.hpp"

namespace famigo::apps::catalog {

struct ListingQuery;

void define_config(config::Schema& schema);

class Catalog {
  public:
    explicit Catalog(Site& site);
    ~Catalog();  // stops the watcher
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // Registers the routes and their page-cache policy, and starts the watcher.
    void install();

    // The catalog generation last seen in the store (0: never imported).
    std::int64_t generation() const;

  private:
    void home(const http::Request& request, http::Response& response);
    void app_page(const http::Request& request, http::Response& response);
    void collection(const http::Request& request, http::Response& response, std::string_view name);
    void browse(const http::Request& request, http::Response& response);
    void about_data(const http::Request& request, http::Response& response);
    void api_list(const http::Request& request, http::Response& response);
    void api_detail(const http::Request& request, http::Response& response);
    void api_openapi(const http::Request& request, http::Response& response);
    void autocomplete(const http::Request& request, http::Response& response);

    // One page of apps for a listing, with total and page count.
    nlohmann::json listing(const ListingQuery& query);
    // Category slugs with their names, recomputed when the generation changes.
    nlohmann::json categories();
    // How many apps a listing's filters select. Counting reads every matching
    // index entry (milliseconds on the full catalog) while the page itself
    // reads 20, so counts are kept per filter until the generation changes.
    std::int64_t count(const ListingQuery& query);
    void watch();

    Site& site_;
    mutable std::mutex mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    std::int64_t generation_ = 0;
    std::int64_t categories_generation_ = -1;
    nlohmann::json categories_;
    std::int64_t counts_generation_ = -1;
    std::unordered_map<std::string, std::int64_t> counts_;  // filter query string -> count
    std::thread watcher_;
};

}  // namespace famigo::apps::catalog
