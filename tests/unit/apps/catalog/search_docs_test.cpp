// The catalog's search documents (search_docs.hpp): the mapping of an App,
// the prior, and the two index writers over a SQLite store and a Xapian index
// in a temporary folder, ending with the whole demo catalog.
#include "apps/catalog/search_docs.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>

#include "apps/catalog/importer.hpp"
#include "docstore/objects.hpp"
#include "search/factory.hpp"

using namespace famigo::apps::catalog;
namespace docstore = famigo::docstore;
namespace search = famigo::search;
namespace fs = std::filesystem;

namespace {

App sample_app() {
    App app;
    app.id = "a1";
    app.source_id = "ios:1";
    app.slug = "minecraft";
    app.title = "Minecraft: Pocket Edition";
    app.title_key = "minecraft: pocket edition";
    app.developer = "Mojang";
    app.platform = "ios";
    app.category = "art-and-design";
    app.genres = {"Games", "Adventure"};
    app.content_rating = "9+";
    app.age_band = "9-12";
    app.free = false;
    app.price = 6.99;
    app.descriptors.ads = "no";
    app.rating = 4.5;
    app.rating_count = 9999;
    app.installs = 5000;
    app.last_updated = "1970-01-11";
    app.review_cool = "Endless building";
    app.review_drool = "Zombies at night";
    app.approved = true;
    return app;
}

}  // namespace

TEST(SearchDocs, MapsEveryField) {
    auto doc = app_search_document(sample_app());
    EXPECT_EQ(doc.id, "a1");
    EXPECT_EQ(doc.text.at("title"), "Minecraft: Pocket Edition");
    EXPECT_EQ(doc.text.at("developer"), "Mojang");
    EXPECT_EQ(doc.text.at("category"), "Art and design");
    EXPECT_EQ(doc.text.at("genres"), "Games, Adventure");
    EXPECT_EQ(doc.text.at("review"), "Endless building\nZombies at night");
    EXPECT_EQ(doc.text.at("content_rating"), "9+");
    EXPECT_EQ(doc.keywords.at("platform"), "ios");
    EXPECT_EQ(doc.keywords.at("age_band"), "9-12");
    EXPECT_EQ(doc.keywords.at("price"), "paid");
    EXPECT_EQ(doc.keywords.at("category"), "art-and-design");
    EXPECT_EQ(doc.keywords.at("ads"), "no");
    EXPECT_EQ(doc.keywords.at("in_app_purchases"), "unknown");
    EXPECT_EQ(doc.keywords.at("approved"), "yes");
    EXPECT_DOUBLE_EQ(doc.numbers.at("rating"), 4.5);
    EXPECT_DOUBLE_EQ(doc.numbers.at("installs"), 5000);
    EXPECT_DOUBLE_EQ(doc.numbers.at("rating_count"), 9999);
    EXPECT_DOUBLE_EQ(doc.numbers.at("newest"), 10);
    // Every field the document names is in the schema.
    auto schema = app_search_schema();
    EXPECT_EQ(schema.text.front().name, "title");
    for (const auto& entry : doc.text) {  // no structured binding: clang 14 cannot capture one
        const std::string& name = entry.first;
        EXPECT_TRUE(std::any_of(schema.text.begin(), schema.text.end(), [&](const auto& f) {
            return f.name == name;
        })) << name;
    }
}

TEST(SearchDocs, EmptyFieldsAndNoBand) {
    App app;
    app.id = "x";
    app.title = "Chess";
    app.last_updated = "2018-02-30";  // impossible: no date
    auto doc = app_search_document(app);
    EXPECT_FALSE(doc.text.contains("developer"));
    EXPECT_FALSE(doc.text.contains("review"));
    EXPECT_EQ(doc.keywords.at("age_band"), "none");
    EXPECT_EQ(doc.keywords.at("price"), "free");
    EXPECT_EQ(doc.keywords.at("approved"), "no");
    EXPECT_DOUBLE_EQ(doc.numbers.at("newest"), 0);
}

TEST(SearchDocs, PriorIsApprovedThenPopularity) {
    App plain;
    App popular;
    popular.rating_count = 10'000'000;
    App approved;
    approved.approved = true;
    App approved_popular = popular;
    approved_popular.approved = true;
    EXPECT_DOUBLE_EQ(app_search_prior(plain), 0);
    EXPECT_LT(app_search_prior(plain), app_search_prior(popular));
    EXPECT_LT(app_search_prior(popular), app_search_prior(approved));
    EXPECT_LT(app_search_prior(approved), app_search_prior(approved_popular));
    EXPECT_LE(app_search_prior(approved_popular), 1.0);
    popular.rating_count = 1'000'000'000'000;
    EXPECT_LE(app_search_prior(popular), 0.5);
}

TEST(SearchDocs, AgeBandsUpTo) {
    EXPECT_EQ(age_bands_up_to("0-5"), (std::vector<std::string>{"0-5"}));
    EXPECT_EQ(age_bands_up_to("9-12"), (std::vector<std::string>{"0-5", "6-8", "9-12"}));
    EXPECT_TRUE(age_bands_up_to("7").empty());
}

class SearchIndexing : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("famigo-searchdocs-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        docstore::StoreOptions options;
        options.url = "sqlite://" + (dir_ / "store.db").string();
        store_ = docstore::open_store(options);
        docstore::ModelRegistry registry;
        register_models(registry);
        docstore::migrate(*store_, registry);
        index_ =
            search::make_index({"xapian://" + (dir_ / "search").string()}, app_search_schema());
    }
    void TearDown() override {
        index_.reset();
        store_.reset();
        fs::remove_all(dir_);
    }
    std::string add(std::string title, std::string slug, bool published = true) {
        App app;
        app.source_id = "test:" + slug;
        app.slug = std::move(slug);
        app.title_key = title;
        app.title = std::move(title);
        app.platform = "android";
        app.published = published;
        return docstore::Objects<App>(*store_).insert(app);
    }
    std::vector<std::string> find(const std::string& text) {
        search::Query q;
        q.text = text;
        return index_->query(q).ids;
    }

    fs::path dir_;
    std::unique_ptr<docstore::Store> store_;
    std::unique_ptr<search::Index> index_;
};

TEST_F(SearchIndexing, IndexCatalogBuildsPublishedAppsWithProgress) {
    std::string craft = add("Minecraft", "minecraft");
    add("Chess", "chess");
    add("Hidden Game", "hidden", false);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    auto report =
        index_catalog(*store_, *index_, {.batch_size = 1, .progress = [&](auto done, auto total) {
                                             calls.emplace_back(done, total);
                                         }});
    EXPECT_EQ(report.apps, 2u);
    EXPECT_EQ(report.indexed, 2u);
    EXPECT_EQ(report.documents, 2u);
    EXPECT_FALSE(report.generation.empty());
    using Calls = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
    EXPECT_EQ(calls, (Calls{{0, 2}, {1, 2}, {2, 2}}));
    EXPECT_EQ(find("mincraft "), (std::vector<std::string>{craft}));
    EXPECT_TRUE(find("hidden ").empty());

    // A second build replaces the first: a deleted app is gone.
    docstore::Objects<App>(*store_).where(docstore::field("slug") == "chess").remove();
    auto again = index_catalog(*store_, *index_);
    EXPECT_EQ(again.documents, 1u);
    EXPECT_NE(again.generation, report.generation);
    EXPECT_TRUE(find("chess ").empty());
}

TEST_F(SearchIndexing, IndexAppsUpsertsAndRemoves) {
    std::string craft = add("Minecraft", "minecraft");
    std::string chess = add("Chess", "chess");
    index_catalog(*store_, *index_);
    docstore::Objects<App> apps(*store_);
    apps.where(docstore::field("_id") == craft)
        .update(docstore::Update().set("title", "Terraria").set("approved", true));
    apps.where(docstore::field("_id") == chess).update(docstore::Update().set("published", false));
    std::vector<std::string> ids = {craft, chess, "no-such-app", craft};
    auto report = index_apps(*store_, *index_, ids);
    EXPECT_EQ(report.upserted, 1u);
    EXPECT_EQ(report.removed, 2u);  // chess (unpublished) and the missing id
    EXPECT_EQ(find("terraria "), (std::vector<std::string>{craft}));
    EXPECT_TRUE(find("minecraft ").empty());
    EXPECT_TRUE(find("chess ").empty());
    EXPECT_EQ(index_->stats().documents, 1u);
    search::Query approved;
    approved.filters["approved"] = {"yes"};
    EXPECT_EQ(index_->query(approved).total, 1u);
}

TEST_F(SearchIndexing, TheDemoCatalog) {
    fs::path data = FAMIGO_DATA_DIR;
    import_catalog(*store_, {data / "googleplaystore.csv", data / "AppleStore.csv"});
    auto started = std::chrono::steady_clock::now();
    auto report = index_catalog(*store_, *index_);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(report.documents, 16856u);
    std::cout << "indexed " << report.documents << " apps in " << seconds << " s\n";
    EXPECT_LT(seconds, 60);  // the goal is 10 s; this only catches a pathological slowdown
    search::Query q;
    q.text = "mincraft";
    q.facets = {"platform"};
    auto result = index_->query(q);
    ASSERT_FALSE(result.ids.empty());
    auto first = docstore::Objects<App>(*store_).get(result.ids.front());
    ASSERT_TRUE(first);
    EXPECT_NE(first->title.find("Minecraft"), std::string::npos) << first->title;
    EXPECT_FALSE(result.facets.at("platform").empty());
}
