// Listing queries: parsing (every parameter, bad values naming the field),
// the canonical query string used for links, the filters they make (checked
// by matching documents), the OpenAPI parameter list and price/category text.
#include "apps/catalog/query.hpp"

#include <gtest/gtest.h>

#include <set>

#include "apps/catalog/openapi.hpp"
#include "apps/catalog/present.hpp"
#include "docstore/filter.hpp"

namespace famigo::apps::catalog {
namespace {

std::string bad_field(std::string_view qs) {
    try {
        parse_listing_query(qs);
    } catch (const BadParameter& e) {
        return e.field();
    }
    return "(accepted)";
}

docstore::Document app(std::string platform, std::string band, bool free, std::string title_key) {
    return {{"published", true},
            {"platform", platform},
            {"age_band", band},
            {"free", free},
            {"category", "education"},
            {"approved", false},
            {"title_key", title_key},
            {"descriptors", {{"ads", "no"}, {"in_app_purchases", "unknown"}}}};
}

TEST(ListingQuery, DefaultsAndEveryParameter) {
    ListingQuery q = parse_listing_query("");
    EXPECT_EQ(q.sort, "rating");
    EXPECT_EQ(q.page, 1);
    EXPECT_EQ(q.per_page, 20);
    q = parse_listing_query(
        "platform=ios&age=6-8&price=paid&category=education&no_ads=1&no_iap=true&approved=0"
        "&q=Angry+Birds&sort=title&page=3&per_page=100&utm_source=x");
    EXPECT_EQ(q.platform, "ios");
    EXPECT_EQ(q.age, "6-8");
    EXPECT_EQ(q.price, "paid");
    EXPECT_EQ(q.category, "education");
    EXPECT_TRUE(q.no_ads);
    EXPECT_TRUE(q.no_iap);
    EXPECT_FALSE(q.approved);
    EXPECT_EQ(q.q, "Angry Birds");
    EXPECT_EQ(q.sort, "title");
    EXPECT_EQ(q.page, 3);
    EXPECT_EQ(q.per_page, 100);
}

TEST(ListingQuery, EmptyValuesMeanAny) {
    ListingQuery q = parse_listing_query("platform=&age=&price=&category=&sort=");
    EXPECT_EQ(q.platform, "");
    EXPECT_EQ(q.sort, "rating");
}

TEST(ListingQuery, BadValuesNameTheField) {
    EXPECT_EQ(bad_field("platform=windows"), "platform");
    EXPECT_EQ(bad_field("age=7"), "age");
    EXPECT_EQ(bad_field("price=cheap"), "price");
    EXPECT_EQ(bad_field("category=Bad%20Slug"), "category");
    EXPECT_EQ(bad_field("no_ads=maybe"), "no_ads");
    EXPECT_EQ(bad_field("sort=price"), "sort");
    EXPECT_EQ(bad_field("page=0"), "page");
    EXPECT_EQ(bad_field("page=2x"), "page");
    EXPECT_EQ(bad_field("page=99999999999999999999"), "page");
    EXPECT_EQ(bad_field("per_page=101"), "per_page");
    EXPECT_EQ(bad_field("q=" + std::string(101, 'x')), "q");
    EXPECT_EQ(bad_field("q=%zz"), "");  // a malformed query string as a whole
    EXPECT_EQ(bad_field("per_page=100&page=100000"), "(accepted)");
}

TEST(ListingQuery, QueryStringIsCanonicalAndRoundTrips) {
    ListingQuery q = parse_listing_query("sort=title&platform=ios&q=a%26b+c&per_page=50&page=2");
    EXPECT_EQ(q.query_string(2), "platform=ios&q=a%26b+c&sort=title&per_page=50&page=2");
    EXPECT_EQ(q.query_string(1), "platform=ios&q=a%26b+c&sort=title&per_page=50");
    ListingQuery again = parse_listing_query(q.query_string(7));
    EXPECT_EQ(again.q, "a&b c");
    EXPECT_EQ(again.page, 7);
    EXPECT_EQ(parse_listing_query("").query_string(1), "");
}

TEST(ListingFilter, SelectsWhatTheParametersSay) {
    auto ios_young = app("ios", "0-5", true, "angry birds");
    auto android_teen = app("android", "13+", false, "zombie run");
    auto unrated = app("android", "", true, "angry bob");
    auto matches = [](std::string_view qs, const docstore::Document& doc) {
        return docstore::matches(listing_filter(parse_listing_query(qs)), doc);
    };
    EXPECT_TRUE(matches("", ios_young));
    EXPECT_TRUE(matches("platform=ios", ios_young));
    EXPECT_FALSE(matches("platform=ios", android_teen));
    EXPECT_TRUE(matches("age=6-8", ios_young));  // suitable: that band or younger
    EXPECT_FALSE(matches("age=9-12", android_teen));
    EXPECT_FALSE(matches("age=13%2B", unrated));  // unrated apps match no band
    EXPECT_TRUE(matches("age=13%2B", android_teen));
    EXPECT_TRUE(matches("price=paid", android_teen));
    EXPECT_FALSE(matches("price=free", android_teen));
    EXPECT_TRUE(matches("no_ads=1", ios_young));
    EXPECT_FALSE(matches("no_iap=1", ios_young));  // unknown is not "no"
    EXPECT_FALSE(matches("approved=1", ios_young));
    EXPECT_TRUE(matches("q=ANGRY+B", ios_young));
    EXPECT_TRUE(matches("q=angry", unrated));
    EXPECT_FALSE(matches("q=angry+birds+x", ios_young));
    auto hidden = ios_young;
    hidden["published"] = false;
    EXPECT_FALSE(matches("", hidden));
}

TEST(ListingOrder, EverySortEndsWithATieBreaker) {
    for (std::string sort : {"rating", "installs", "newest", "title"}) {
        ListingQuery q;
        q.sort = sort;
        EXPECT_TRUE(listing_order(q).ends_with("title_key")) << sort;
    }
}

TEST(OpenApi, ListsExactlyTheParsedParameters) {
    auto doc = openapi_document();
    std::set<std::string> documented;
    for (const auto& p : doc["paths"]["/apps"]["get"]["parameters"]) documented.insert(p["name"]);
    std::set<std::string> parsed;
    for (const auto& spec : listing_parameters()) parsed.insert(spec.name);
    EXPECT_EQ(documented, parsed);
    EXPECT_EQ(doc["paths"]["/apps"]["get"]["parameters"][10]["schema"]["maximum"], kMaxPerPage);
}

TEST(Present, PriceAndCategoryText) {
    EXPECT_EQ(price_text(0, "USD", true), "Free");
    EXPECT_EQ(price_text(4.99, "USD", false), "$4.99");
    EXPECT_EQ(price_text(3, "EUR", false), "3.00 EUR");
    EXPECT_EQ(category_name("art-and-design"), "Art and design");
    EXPECT_EQ(category_name(""), "");
}

}  // namespace
}  // namespace famigo::apps::catalog
