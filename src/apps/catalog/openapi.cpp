#include "apps/catalog/openapi.hpp"

#include "apps/catalog/models.hpp"
#include "apps/catalog/query.hpp"

namespace famigo::apps::catalog {
namespace {

using nlohmann::json;

json parameter(const ParameterSpec& spec) {
    json schema = {{"type", spec.type == "boolean" ? "string" : spec.type}};
    if (!spec.values.empty()) schema["enum"] = spec.values;
    if (spec.minimum) schema["minimum"] = *spec.minimum;
    if (spec.maximum) schema["maximum"] = *spec.maximum;
    if (spec.default_integer) schema["default"] = *spec.default_integer;
    if (!spec.default_text.empty()) schema["default"] = spec.default_text;
    if (spec.name == "q") schema["maxLength"] = 100;
    if (spec.name == "category") schema["pattern"] = "^[a-z0-9-]{1,60}$";
    return {{"name", spec.name},
            {"in", "query"},
            {"required", false},
            {"description", spec.description},
            {"schema", schema}};
}

json string_enum(const std::vector<std::string>& values) {
    return {{"type", "string"}, {"enum", values}};
}

json app_schema() {
    json nullable_string = {{"type", "string"}, {"nullable", true}};
    json tri = string_enum({"unknown", "yes", "no"});
    std::vector<std::string> bands = kAgeBands;
    bands.insert(bands.begin(), "");
    json properties = {
        {"slug", {{"type", "string"}}},
        {"url", {{"type", "string"}, {"description", "path of the app's page"}}},
        {"title", {{"type", "string"}}},
        {"developer", {{"type", "string"}}},
        {"platform", string_enum(kPlatforms)},
        {"platform_name", {{"type", "string"}}},
        {"store_id", {{"type", "string"}}},
        {"store_url", {{"type", "string"}}},
        {"icon_url", {{"type", "string"}, {"description", "empty when there is no icon"}}},
        {"screenshot_urls", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"price", {{"type", "number"}, {"minimum", 0}}},
        {"currency", {{"type", "string"}}},
        {"free", {{"type", "boolean"}}},
        {"price_text", {{"type", "string"}}},
        {"category", {{"type", "string"}}},
        {"category_name", {{"type", "string"}}},
        {"genres", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"content_rating", {{"type", "string"}}},
        {"age_band", string_enum(bands)},
        {"age_label", {{"type", "string"}}},
        {"descriptors",
         {{"type", "object"},
          {"properties",
           {{"ads", tri},
            {"in_app_purchases", tri},
            {"violence", tri},
            {"data_collection", tri},
            {"chat", tri}}}}},
        {"rating", {{"type", "number"}, {"minimum", 0}, {"maximum", 5}}},
        {"rating_count", {{"type", "integer"}, {"minimum", 0}}},
        {"rating_count_text",
         {{"type", "string"}, {"description", "rating_count with thousands separators"}}},
        {"installs", {{"type", "integer"}, {"minimum", 0}}},
        {"installs_text", {{"type", "string"}}},
        {"size_bytes", {{"type", "integer"}, {"nullable", true}}},
        {"last_updated", {{"type", "string"}, {"description", "ISO date, empty when unknown"}}},
        {"version", {{"type", "string"}}},
        {"review",
         {{"type", "object"},
          {"properties", {{"cool", {{"type", "string"}}}, {"drool", {{"type", "string"}}}}}}},
        {"approved", {{"type", "boolean"}}},
    };
    json required = json::array();
    for (const auto& [name, _] : properties.items()) required.push_back(name);
    return {{"type", "object"}, {"properties", properties}, {"required", required}};
}

json error_response(const std::string& description) {
    return {{"description", description},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

json openapi_document() {
    json list_parameters = json::array();
    for (const auto& spec : listing_parameters()) list_parameters.push_back(parameter(spec));
    json nullable_link = {{"type", "string"}, {"nullable", true}};
    json page_schema = {
        {"type", "object"},
        {"required", {"items", "total", "page", "per_page", "pages", "links"}},
        {"properties",
         {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/App"}}}}},
          {"total", {{"type", "integer"}}},
          {"page", {{"type", "integer"}}},
          {"per_page", {{"type", "integer"}}},
          {"pages", {{"type", "integer"}}},
          {"links",
           {{"type", "object"},
            {"properties", {{"prev", nullable_link}, {"next", nullable_link}}}}}}}};
    json error_schema = {{"type", "object"},
                         {"required", {"error"}},
                         {"properties",
                          {{"error",
                            {{"type", "object"},
                             {"required", {"code", "message", "field"}},
                             {"properties",
                              {{"code", {{"type", "string"}}},
                               {"message", {{"type", "string"}}},
                               {"field", {{"type", "string"}, {"nullable", true}}}}}}}}}};
    // /search: the listing's filters and paging, its own q and sort.
    json search_parameters = json::array();
    for (const auto& spec : listing_parameters()) {
        if (spec.name == "q") {
            search_parameters.push_back(
                {{"name", "q"},
                 {"in", "query"},
                 {"required", false},
                 {"description",
                  "Words to search for in titles, developers, categories, genres and reviews "
                  "(any order; the last word as a prefix; typos tolerated; \"quotes\" for a "
                  "phrase), at most " +
                      std::to_string(kMaxSearchText) +
                      " characters. Empty: every app, APProved and popular first."},
                 {"schema", {{"type", "string"}, {"maxLength", kMaxSearchText}}}});
        } else if (spec.name == "sort") {
            search_parameters.push_back(
                {{"name", "sort"},
                 {"in", "query"},
                 {"required", false},
                 {"description",
                  "relevance (text match, then APProved, then popularity), rating, installs or "
                  "newest (highest first)."},
                 {"schema",
                  {{"type", "string"}, {"enum", kSearchSorts}, {"default", "relevance"}}}});
        } else {
            search_parameters.push_back(parameter(spec));
        }
    }
    json facet_values = {
        {"type", "array"},
        {"items",
         {{"type", "object"},
          {"required", {"value", "count"}},
          {"properties", {{"value", {{"type", "string"}}}, {"count", {{"type", "integer"}}}}}}}};
    json search_schema = page_schema;
    search_schema["required"].push_back("facets");
    search_schema["required"].push_back("suggestion");
    search_schema["properties"]["facets"] = {
        {"type", "object"},
        {"description",
         "By filter parameter (platform, age, price, category, no_ads, no_iap, approved): its "
         "values with how many of these results each would leave."},
        {"additionalProperties", facet_values}};
    search_schema["properties"]["suggestion"] = {
        {"type", "string"},
        {"nullable", true},
        {"description", "When few apps match: the query with misspelt words corrected."}};
    json search_path = {
        {"get",
         {{"operationId", "searchApps"},
          {"summary", "Apps matching words, with facets and a spelling suggestion"},
          {"parameters", search_parameters},
          {"responses",
           {{"200",
             {{"description", "A page of results"},
              {"content",
               {{"application/json",
                 {{"schema", {{"$ref", "#/components/schemas/SearchPage"}}}}}}}}},
            {"400", error_response("A parameter has a bad value; error.field names it")},
            {"503", error_response("Search is unavailable (error.code search_unavailable)")}}}}}};
    return {
        {"openapi", "3.0.3"},
        {"info",
         {{"title", "Famigo API"},
          {"version", "1"},
          {"description", "The Famigo app catalog: filters, sorts and paging as on /browse/."}}},
        {"servers", {{{"url", "/api/v1"}}}},
        {"paths",
         {{"/apps",
           {{"get",
             {{"operationId", "listApps"},
              {"summary", "A page of apps matching the filters"},
              {"parameters", list_parameters},
              {"responses",
               {{"200",
                 {{"description", "A page of apps"},
                  {"content",
                   {{"application/json",
                     {{"schema", {{"$ref", "#/components/schemas/AppPage"}}}}}}}}},
                {"400", error_response("A parameter has a bad value; error.field names it")}}}}}}},
          {"/apps/{slug}",
           {{"get",
             {{"operationId", "getApp"},
              {"summary", "One app"},
              {"parameters",
               {{{"name", "slug"},
                 {"in", "path"},
                 {"required", true},
                 {"schema", {{"type", "string"}, {"pattern", "^[a-z0-9]+(-[a-z0-9]+)*$"}}}}}},
              {"responses",
               {{"200",
                 {{"description", "The app"},
                  {"content",
                   {{"application/json", {{"schema", {{"$ref", "#/components/schemas/App"}}}}}}}}},
                {"404", error_response("No published app has this slug")}}}}}}},
          {"/search", search_path}}},
        {"components",
         {{"schemas",
           {{"App", app_schema()},
            {"AppPage", page_schema},
            {"SearchPage", search_schema},
            {"Error", error_schema}}}}},
    };
}

}  // namespace famigo::apps::catalog
