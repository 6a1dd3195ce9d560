// The catalog's listing queries on PostgreSQL come from its indexes: every
// shape the site runs (browse in each order, API paging, filters, the home
// shelves, similar apps, autocomplete) is EXPLAINed on a store holding enough
// apps, ANALYZEd, for the planner's choice to mean something, and none may
// scan the table (Seq Scan) or sort (a Sort node): the index gives the order.
// The autocomplete reads a title_key range and orders its matches by rating
// count; it may sort them, but only rows an index gave. Both plans count: the
// one made for a query's values and the generic one PostgreSQL may keep for
// a prepared statement after five runs (plan_cache_mode auto), which must not
// scan the table either.
#include <gtest/gtest.h>

#include <random>

#include "../../docstore/backends.hpp"
#include "apps/catalog/models.hpp"
#include "apps/catalog/query.hpp"
#include "docstore/model.hpp"
#include "docstore/postgres/pg_store.hpp"
#include "docstore/sql/sql_documents.hpp"

namespace famigo::apps::catalog {
namespace {

using docstore::Document;
using docstore::field;

class PgCatalogPlan : public ::testing::Test {
  protected:
    void SetUp() override {
        FAMIGO_REQUIRE_BACKEND(docstore::testing::PostgresBackend);
        store = backend.open();
        auto& apps = store->collection("apps");
        std::mt19937 random(42);
        auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
        const char* bands[] = {"0-5", "6-8", "9-12", "13+", ""};
        std::vector<Document> batch;
        for (int i = 0; i < kApps; ++i) {
            std::string n = std::to_string(i);
            std::string category = pick(10) == 0 ? "games" : "cat" + std::to_string(pick(40));
            batch.push_back(
                {{"source_id", "src-" + n},
                 {"slug", "app-" + n},
                 {"title", "App " + n},
                 {"title_key", "app " + std::to_string(pick(1000000)) + " " + n},
                 {"platform", pick(2) ? "android" : "ios"},
                 {"free", pick(3) != 0},
                 {"price", 0},
                 {"category", category},
                 {"age_band", bands[pick(5)]},
                 {"descriptors",
                  {{"ads", pick(2) ? "yes" : "no"}, {"in_app_purchases", pick(2) ? "yes" : "no"}}},
                 {"rating", pick(51) / 10.0},
                 {"rating_count", pick(5) == 0 ? pick(100000) : pick(2000)},
                 {"installs", pick(1000000)},
                 {"last_updated",
                  "20" + std::to_string(10 + pick(10)) + "-01-0" + std::to_string(1 + pick(9))},
                 {"approved", pick(50) == 0},
                 {"published", pick(40) != 0},
                 {"review_cool", std::string(200 + pick(400), 'x')}});
            if (batch.size() == 2000) apps.insert_many(std::exchange(batch, {}));
        }
        apps.insert_many(std::move(batch));
        // The catalog's own indexes, built over the data (faster than kept up while loading).
        docstore::ModelRegistry registry;
        registry.add<App>();
        docstore::migrate(*store, registry);
        pg = dynamic_cast<docstore::postgres::PgCollection*>(&apps);
        ASSERT_NE(pg, nullptr);
        // The planner's statistics and visibility map, as autovacuum keeps them.
        docstore::testing::postgres_psql_on(backend.url(), "VACUUM ANALYZE c_apps");
    }

    // Fails on a sequential scan or a sort, in the plan made for the values
    // and in the generic plan PostgreSQL may keep for the prepared statement
    // after five runs; returns the plan for the values.
    std::string expect_index_plan(const std::string& shape, const docstore::Filter& filter,
                                  const std::string& order, std::int64_t skip, std::int64_t limit,
                                  bool may_sort = false) {
        docstore::FindOptions options;
        options.sort = docstore::parse_sort(order);
        options.skip = skip;
        options.limit = limit;
        using Kind = docstore::postgres::PgCollection::PlanKind;
        std::string custom;
        for (Kind kind : {Kind::Custom, Kind::Generic}) {
            std::string plan = pg->explain(filter, options, kind);
            std::string what = shape + (kind == Kind::Generic ? " (generic plan)" : "") + ":\n";
            EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << what << plan;
            // A generic plan may sort what an index gave (best free games: the
            // category list's index, then the rating order): PostgreSQL keeps
            // a generic plan only while its estimated cost is no more than
            // that of the plans made for the values, which must not sort.
            if (!may_sort && kind == Kind::Custom) {
                EXPECT_EQ(plan.find("Sort"), std::string::npos) << what << plan;
            }
            EXPECT_EQ(plan.find("in process"), std::string::npos) << what << plan;
            EXPECT_EQ(plan.find("sorted in process"), std::string::npos) << what << plan;
            if (kind == Kind::Custom) custom = plan;
        }
        return custom;
    }

    static constexpr int kApps = 15000;
    docstore::testing::PostgresBackend backend;
    std::unique_ptr<docstore::Store> store;
    docstore::postgres::PgCollection* pg = nullptr;
};

TEST_F(PgCatalogPlan, EveryListingShapeIsServedByAnIndex) {
    for (const char* sort : {"rating", "installs", "newest", "title"}) {
        ListingQuery query;
        query.sort = sort;
        for (std::int64_t page : {1, 5}) {  // the browse page and API paging
            expect_index_plan(std::string("browse sort=") + sort + " page=" + std::to_string(page),
                              listing_filter(query), listing_order(query), (page - 1) * 20, 20);
        }
        query.platform = "android";
        expect_index_plan(std::string("browse platform=android sort=") + sort,
                          listing_filter(query), listing_order(query), 0, 20);
    }
    // The home page's shelves and the collection pages.
    std::vector<Document> games = {"game", "games"}, children = {"0-5", "6-8", "9-12"};
    expect_index_plan("approved shelf", field("published") == true && field("approved") == true,
                      "-rating_count,title_key", 0, 8);
    expect_index_plan("best free games",
                      field("published") == true && field("free") == true &&
                          field("category").in(games) && field("age_band").in(children) &&
                          field("rating_count") >= 1000,
                      "-rating,-rating_count,title_key", 0, 8);
    expect_index_plan("free apps",
                      field("published") == true && field("free") == true &&
                          field("category").nin(games) && field("age_band").in(children) &&
                          field("rating_count") >= 1000,
                      "-rating,-rating_count,title_key", 0, 20);
    // An app page: the app by slug, then similar apps.
    expect_index_plan("app by slug", field("slug") == "app-77" && field("published") == true, "", 0,
                      1);
    auto similar = expect_index_plan("similar apps",
                                     field("published") == true && field("category") == "cat7" &&
                                         field("platform") == "ios" && field("slug") != "app-77",
                                     "-rating_count,title_key", 0, 6);
    EXPECT_NE(similar.find(docstore::sql::index_sql_name(
                  "apps", "published_1_category_1_platform_1_rating_count_-1_title_key_1")),
              std::string::npos)
        << similar;
    // Autocomplete: a title_key prefix range, from an index either way: the
    // range index then a sort of its few rows, or (a common prefix) the
    // rating-count order with the range checked inside that index.
    expect_index_plan("autocomplete", field("published") == true && title_prefix_filter("app 12"),
                      "-rating_count,title_key", 0, 10, /*may_sort=*/true);
    expect_index_plan("autocomplete, rare prefix",
                      field("published") == true && title_prefix_filter("app 123456 "),
                      "-rating_count,title_key", 0, 10, /*may_sort=*/true);
}

}  // namespace
}  // namespace famigo::apps::catalog
