// The catalog's documents. App: one store listing (a Google Play or App Store entry) with
// the store's metadata and Famigo's editorial fields (age band, content
// descriptors, the two-part "cool"/"drool" review, the APProved badge).
//
// One listing has one platform: the demo data (and the original site) list the
// Android and the iOS version of a game as two pages. Lists (genres,
// screenshots) are never indexed: the SQLite backend has no multikey indexes,
// so every browse filter reads a scalar field (`category` is the store's
// primary category; `genres` is for display).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docstore/model.hpp"

namespace famigo::apps::catalog {

// g++ 12 warns about members left out of a designated initializer
// (docstore::Rules{.required = true}); leaving them default is the point.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

// Famigo's age bands, youngest first; "" when the store rating says nothing.
inline const std::vector<std::string> kAgeBands = {"0-5", "6-8", "9-12", "13+"};
inline const std::vector<std::string> kPlatforms = {"android", "ios"};
// Editorial content descriptors are tri-state: nobody has looked yet, or yes/no.

struct Descriptors {
    std::string ads = "unknown";
    std::string in_app_purchases = "unknown";
    std::string violence = "unknown";
    std::string data_collection = "unknown";
    std::string chat = "unknown";  // chat with strangers

    static const docstore::Model<Descriptors>& model() {
        static const auto m = [] {
            docstore::Rules tri{.default_value = "unknown", .choices = {"unknown", "yes", "no"}};
            return docstore::Model<Descriptors>("")
                .field("ads", &Descriptors::ads, tri)
                .field("in_app_purchases", &Descriptors::in_app_purchases, tri)
                .field("violence", &Descriptors::violence, tri)
                .field("data_collection", &Descriptors::data_collection, tri)
                .field("chat", &Descriptors::chat, tri);
        }();
        return m;
    }
};

struct App {
    std::string id;         // the document's _id
    std::string source_id;  // "gp:<title>" or "ios:<store id>": what a re-import matches on
    std::string slug;       // /app/<slug>/, unique, stable across re-imports
    std::string title;
    std::string title_key;  // folded title (lower case, single spaces) for prefix lookups
    std::string developer;  // "" when the source does not say
    std::string platform;   // "android" | "ios"
    std::string store_id;   // the store's own id ("" when unknown)
    std::string store_url;
    std::string icon_url;  // "" -> the page shows a placeholder
    std::vector<std::string> screenshot_urls;
    double price = 0;  // in `currency`
    std::string currency = "USD";
    bool free = true;
    std::string category;  // slug of the store's primary category, e.g. "education"
    std::vector<std::string> genres;
    std::string content_rating;  // the store's own, e.g. "Everyone 10+", "9+"
    std::string age_band;        // one of kAgeBands, or ""
    Descriptors descriptors;
    double rating = 0;  // store rating 0-5; 0 with rating_count 0 means none
    std::int64_t rating_count = 0;
    std::int64_t installs = 0;               // lower bound ("10,000+" -> 10000); 0 when unknown
    std::optional<std::int64_t> size_bytes;  // none: "varies with device" or unknown
    std::string last_updated;                // ISO date "2018-01-07", "" when unknown
    std::string version;
    std::string review_cool;   // editorial: what is good about it
    std::string review_drool;  // editorial: what is not
    bool approved = false;     // Famigo APProved
    bool published = true;

    static const docstore::Model<App>& model() {
        static const auto m =
            docstore::Model<App>("apps")
                .field("source_id", &App::source_id,
                       {.required = true, .max_length = 300, .unique = true})
                .field("slug", &App::slug,
                       {.required = true,
                        .max_length = 120,
                        .regex = "^[a-z0-9]+(-[a-z0-9]+)*$",
                        .unique = true})
                .field("title", &App::title, {.required = true, .max_length = 300})
                .field("title_key", &App::title_key, {.required = true, .max_length = 300})
                .field("developer", &App::developer, {.max_length = 200})
                .field("platform", &App::platform,
                       {.required = true, .choices = {"android", "ios"}})
                .field("store_id", &App::store_id, {.max_length = 100})
                .field("store_url", &App::store_url, {.max_length = 500})
                .field("icon_url", &App::icon_url, {.max_length = 500})
                .field("screenshot_urls", &App::screenshot_urls, {.max_length = 20})
                .field("price", &App::price, {.min = 0, .max = 10000})
                .field("currency", &App::currency, {.max_length = 3})
                .field("free", &App::free)
                .field("category", &App::category, {.max_length = 60, .regex = "^[a-z0-9-]*$"})
                .field("genres", &App::genres, {.max_length = 10})
                .field("content_rating", &App::content_rating, {.max_length = 40})
                .field("age_band", &App::age_band, {.choices = {"", "0-5", "6-8", "9-12", "13+"}})
                .field("descriptors", &App::descriptors)
                .field("rating", &App::rating, {.min = 0, .max = 5})
                .field("rating_count", &App::rating_count, {.min = 0})
                .field("installs", &App::installs, {.min = 0})
                .field("size_bytes", &App::size_bytes, {.min = 0})
                .field("last_updated", &App::last_updated, {.max_length = 10})
                .field("version", &App::version, {.max_length = 60})
                .field("review_cool", &App::review_cool, {.max_length = 5000})
                .field("review_drool", &App::review_drool, {.max_length = 5000})
                .field("approved", &App::approved)
                .field("published", &App::published)
                // Listings always ask for published apps, so every index starts
                // with `published`: counts are read from an index alone, and each
                // listing order is one compound index, read in order, not sorted.
                .index("published,platform")
                .index("published,age_band")
                .index("published,free")
                .index(
                    "published,category,platform,-rating_count,title_key")  // also "similar apps"
                .index("published,descriptors.ads")
                .index("published,descriptors.in_app_purchases")
                .index("published,approved,-rating_count,title_key")
                .index("published,-rating,-rating_count,title_key")
                .index("published,-installs,-rating_count,title_key")
                .index("published,-last_updated,title_key")
                .index("published,-rating_count,title_key")
                .index("published,title_key");  // also the autocomplete's prefix range
        return m;
    }
};

#pragma GCC diagnostic pop

// Registers the catalog's models (App) with a store's registry.
void register_models(docstore::ModelRegistry& registry);

}  // namespace famigo::apps::catalog
