#include "apps/catalog/search_docs.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "apps/catalog/present.hpp"
#include "docstore/objects.hpp"

namespace famigo::apps::catalog {

search::Schema app_search_schema() {
    search::Schema schema;
    // The title counts most; the developer's name is the next thing parents
    // type; category and genres say what kind of app it is; the content
    // rating and the reviewers' text count least.
    schema.text = {{"title", 10}, {"developer", 5}, {"category", 3},
                   {"genres", 3}, {"review", 1},    {"content_rating", 1}};
    schema.keywords = {"platform", "age_band",         "price",   "category",
                       "ads",      "in_app_purchases", "approved"};
    schema.numbers = {"rating", "installs", "rating_count", "newest"};
    return schema;
}

double app_search_prior(const App& app) {
    // log10 of the rating count over 8: 100 ratings 0.25, 10,000 0.5, 100
    // million (more than any app has) 1.
    double popularity = std::clamp(std::log10(1.0 + double(app.rating_count)) / 8.0, 0.0, 1.0);
    return (app.approved ? 0.5 : 0.0) + 0.5 * popularity;
}

namespace {

// "2018-01-07" -> days since 1970-01-01; 0 when empty or malformed.
double catalog_search_days(const std::string& iso) {
    int y = 0, m = 0, d = 0;
    if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
    std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(m)),
                                    std::chrono::day(unsigned(d))};
    if (!ymd.ok()) return 0;
    return double(std::chrono::sys_days(ymd).time_since_epoch().count());
}

}  // namespace

search::Document app_search_document(const App& app) {
    search::Document doc;
    doc.id = app.id;
    doc.text["title"] = app.title;
    if (!app.developer.empty()) doc.text["developer"] = app.developer;
    if (!app.category.empty()) doc.text["category"] = category_name(app.category);
    std::string genres;
    for (const auto& genre : app.genres) genres += (genres.empty() ? "" : ", ") + genre;
    if (!genres.empty()) doc.text["genres"] = genres;
    std::string review = app.review_cool;
    if (!app.review_drool.empty()) review += (review.empty() ? "" : "\n") + app.review_drool;
    if (!review.empty()) doc.text["review"] = review;
    if (!app.content_rating.empty()) doc.text["content_rating"] = app.content_rating;

    doc.keywords["platform"] = app.platform;
    doc.keywords["age_band"] = app.age_band.empty() ? "none" : app.age_band;
    doc.keywords["price"] = app.free ? "free" : "paid";
    if (!app.category.empty()) doc.keywords["category"] = app.category;
    doc.keywords["ads"] = app.descriptors.ads;
    doc.keywords["in_app_purchases"] = app.descriptors.in_app_purchases;
    doc.keywords["approved"] = app.approved ? "yes" : "no";

    doc.numbers["rating"] = app.rating;
    doc.numbers["installs"] = double(app.installs);
    doc.numbers["rating_count"] = double(app.rating_count);
    doc.numbers["newest"] = catalog_search_days(app.last_updated);
    doc.prior = app_search_prior(app);
    return doc;
}

std::vector<std::string> age_bands_up_to(std::string_view band) {
    std::vector<std::string> out;
    for (const auto& b : kAgeBands) {
        out.push_back(b);
        if (b == band) return out;
    }
    return {};  // not a band: matches nothing
}

IndexCatalogReport index_catalog(docstore::Store& store, search::Index& index,
                                 const IndexCatalogOptions& options) {
    auto started = std::chrono::steady_clock::now();
    IndexCatalogReport report;
    auto& apps = store.collection(App::model().info().collection);
    docstore::Filter published = docstore::field("published") == true;
    report.apps = std::uint64_t(apps.count(published));
    if (options.progress) options.progress(0, report.apps);

    auto rebuild = index.rebuild();
    std::vector<search::Document> batch;
    std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
    batch.reserve(batch_size);
    auto flush = [&] {
        if (batch.empty()) return;
        rebuild->add(batch);
        report.indexed += batch.size();
        batch.clear();
        if (options.progress) options.progress(report.indexed, report.apps);
    };
    apps.scan(published, {}, [&](docstore::Document&& doc) {
        batch.push_back(app_search_document(App::model().from_document(doc)));
        if (batch.size() >= batch_size) flush();
        return true;
    });
    flush();
    rebuild->finish();

    auto stats = index.stats();
    report.documents = stats.documents;
    report.generation = stats.generation;
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (report.documents != report.indexed)
        throw IndexCountMismatch("the new index holds " + std::to_string(report.documents) +
                                 " documents but " + std::to_string(report.indexed) +
                                 " published apps were written (the store had " +
                                 std::to_string(report.apps) + " when the build started)");
    return report;
}

IndexAppsReport index_apps(docstore::Store& store, search::Index& index,
                           std::span<const std::string> app_ids) {
    IndexAppsReport report;
    if (app_ids.empty()) return report;
    std::vector<docstore::Document> ids;
    ids.reserve(app_ids.size());
    for (const auto& id : app_ids) ids.emplace_back(id);
    std::vector<search::Document> upserts;
    std::unordered_set<std::string> kept;  // ids upserted
    auto& apps = store.collection(App::model().info().collection);
    apps.scan(docstore::field("_id").in(std::move(ids)), {}, [&](docstore::Document&& doc) {
        App app = App::model().from_document(doc);
        if (app.published) {
            kept.insert(app.id);
            upserts.push_back(app_search_document(app));
        }
        return true;
    });
    std::vector<std::string> removals;
    for (const auto& id : app_ids)
        if (kept.insert(id).second) removals.push_back(id);  // also skips repeated ids
    if (!upserts.empty()) index.upsert(upserts);
    if (!removals.empty()) index.remove(removals);
    index.commit();
    report.upserted = upserts.size();
    report.removed = removals.size();
    return report;
}

}  // namespace famigo::apps::catalog
