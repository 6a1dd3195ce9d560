// What a catalog listing asks for — filters, sort and page — parsed from a
// query string, and the one table of filters that the browse page, the API
// and the OpenAPI document all read, so they cannot disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docstore/filter.hpp"
#include "http/errors.hpp"

namespace famigo::apps::catalog {

// A query parameter with a value the catalog does not accept: a 400 that
// names the parameter (the API's {"error": {"code": "bad_parameter", ...}}).
class BadParameter : public http::BadRequest {
  public:
    BadParameter(std::string field, const std::string& message)
        : BadRequest(message, std::move(field), "bad_parameter") {}
};

// One accepted query parameter, described for people and for OpenAPI.
struct ParameterSpec {
    std::string name;
    std::string type;                 // "string" | "integer" | "boolean"
    std::vector<std::string> values;  // allowed values ("" = free text)
    std::string description;
    std::optional<std::int64_t> minimum, maximum, default_integer;
    std::string default_text;
};

// Every listing parameter, in the order the docs show them.
const std::vector<ParameterSpec>& listing_parameters();

struct ListingQuery {
    std::string platform;  // "" = any
    std::string age;       // "" = any; else suitable for that band (that band or younger)
    std::string price;     // "" | "free" | "paid"
    std::string category;  // "" = any
    bool no_ads = false;
    bool no_iap = false;
    bool approved = false;
    std::string q;  // title prefix
    std::string sort = "rating";
    std::int64_t page = 1;
    std::int64_t per_page = 20;

    // The query's canonical query string for `page` (no defaults, stable
    // order): links for paging and filters.
    std::string query_string(std::int64_t for_page) const;
};

inline constexpr std::int64_t kMaxPerPage = 100;

// Throws BadParameter naming the first bad field; unknown parameters are
// ignored (utm_*, cache busters), as browsers and proxies add them.
ListingQuery parse_listing_query(std::string_view query_string);

// What /search/ and /api/v1/search ask for: the /browse/ filters, paging and
// per_page as ListingQuery reads them (its q and sort unused), the search text
// and a search sort.
struct SearchQuery {
    ListingQuery filters;
    std::string q;  // at most kMaxSearchText characters; control characters as spaces
    std::string sort = "relevance";  // relevance | rating | installs | newest
    std::string query_string(std::int64_t for_page) const;
};
inline constexpr std::size_t kMaxSearchText = 200;
inline const std::vector<std::string> kSearchSorts = {"relevance", "rating", "installs", "newest"};
// Throws BadParameter naming the field (q longer than kMaxSearchText, a bad filter).
SearchQuery parse_search_query(std::string_view query_string);
bool search_cache_query(std::string_view query_string, std::string& canonical);

// The term of /autocomplete/?term= (at most 100 characters); throws BadParameter.
std::string parse_term(std::string_view query_string);

// Page-cache keys (cache::QueryKey) of the catalog's routes: the canonical
// query of what the view reads — a listing's filters, sort and page; a
// collection's page; the autocomplete's term. Unknown parameters are left out,
// so they make no new pages; false (not cached) when the view answers 400.
bool listing_cache_query(std::string_view query_string, std::string& canonical);
bool page_cache_query(std::string_view query_string, std::string& canonical);
bool term_cache_query(std::string_view query_string, std::string& canonical);

docstore::Filter listing_filter(const ListingQuery& query);
std::string listing_order(const ListingQuery& query);

// A filter for title_key starting with the prefix folded as titles are
// (mapping.hpp's title_key), as an index range.
docstore::Filter title_prefix_filter(std::string_view prefix);

}  // namespace famigo::apps::catalog
