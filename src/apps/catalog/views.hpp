// The catalog's views: home, app pages, the collections, browse, the data
// page, API v1 (list, detail, OpenAPI document), and (search_views.cpp) the
// search page, the search API and the autocomplete. Bad
// input is thrown (BadParameter, http::NotFound) and answered by the Site's one
// error handler: the friendly page, or the API's JSON error under /api/.
// The route table is urls.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "apps/site/site.hpp"

namespace famigo::apps::catalog {

struct ListingQuery;
class ListingCache;

class Views {
  public:
    Views(Site& site, ListingCache& listings) : site_(site), listings_(listings) {}

    void home(const http::Request& request, http::Response& response);
    void app_page(const http::Request& request, http::Response& response);
    // A collection of the table in views.cpp, by route name ("free-apps").
    void collection(const http::Request& request, http::Response& response, std::string_view name);
    void browse(const http::Request& request, http::Response& response);
    void about_data(const http::Request& request, http::Response& response);
    void api_list(const http::Request& request, http::Response& response);
    void api_detail(const http::Request& request, http::Response& response);
    void api_openapi(const http::Request& request, http::Response& response);
    // search_views.cpp: the index-backed views.
    void autocomplete(const http::Request& request, http::Response& response);
    void search_page(const http::Request& request, http::Response& response);
    void api_search(const http::Request& request, http::Response& response);

  private:
    // One page of apps for a listing, with its total.
    nlohmann::json listing(const ListingQuery& query);

    Site& site_;
    ListingCache& listings_;
};

}  // namespace famigo::apps::catalog
