// Typed models: mapping, every validation rule (each error names the field and
// the rule), typed queries, migrate, and the four delete rules on both backends.
#include "backends.hpp"
#include "docstore/objects.hpp"
#include "docstore/sample_models.hpp"

namespace famigo::docstore {
namespace {

using samples::Developer;
using samples::SampleApp;
using samples::Shelf;

SampleApp valid_app(std::string slug = "angry-birds") {
    SampleApp app;
    app.slug = std::move(slug);
    app.name = "Angry Birds";
    app.rating = 4.5;
    app.tags = {"game"};
    app.developer = {"Rovio", "hello@rovio.com", "https://www.rovio.com/"};
    return app;
}

void expect_rule(const SampleApp& app, const std::string& field, const std::string& rule) {
    try {
        SampleApp::model().info().validate(SampleApp::model().to_document(app));
        ADD_FAILURE() << "no ValidationError for " << field << "/" << rule;
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.field(), field) << e.what();
        EXPECT_EQ(e.rule(), rule) << e.what();
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos);
    }
}

TEST(Model, MapsToDocumentsAndBack) {
    SampleApp app = valid_app();
    app.id = "x1";
    app.contributors = {{"Ann", "ann@x.org", std::nullopt}};
    Document doc = SampleApp::model().to_document(app);
    EXPECT_EQ(doc["_id"], "x1");
    EXPECT_EQ(doc["developer"]["email"], "hello@rovio.com");
    EXPECT_FALSE(doc["contributors"][0].contains("website"));  // an empty optional is left out
    SampleApp back = SampleApp::model().from_document(doc);
    EXPECT_EQ(back.id, "x1");
    EXPECT_EQ(back.developer.website, "https://www.rovio.com/");
    EXPECT_EQ(back.contributors.at(0).name, "Ann");
    // A stored document without the field gets the declared default.
    Document old = {{"_id", "x2"}, {"slug", "s"}, {"name", "n"}};
    old.erase("platform");
    EXPECT_EQ(SampleApp::model().from_document(old).platform, "android");
    EXPECT_THROW(SampleApp::model().from_document({{"rating", "high"}}), QueryError);
}

TEST(Model, EveryRuleNamesFieldAndRule) {
    SampleApp app = valid_app();
    EXPECT_NO_THROW(SampleApp::model().info().validate(SampleApp::model().to_document(app)));
    auto broken = [&](auto change) {
        SampleApp copy = valid_app();
        change(copy);
        return copy;
    };
    expect_rule(broken([](SampleApp& a) { a.name.clear(); }), "name", "required");
    expect_rule(broken([](SampleApp& a) { a.name = std::string(201, 'x'); }), "name", "max_length");
    expect_rule(broken([](SampleApp& a) { a.slug = "Not A Slug"; }), "slug", "regex");
    expect_rule(broken([](SampleApp& a) { a.platform = "windows"; }), "platform", "choices");
    expect_rule(broken([](SampleApp& a) { a.rating = 5.5; }), "rating", "max");
    expect_rule(broken([](SampleApp& a) { a.downloads = -1; }), "downloads", "min");
    expect_rule(broken([](SampleApp& a) { a.tags.assign(11, "t"); }), "tags", "max_length");
    expect_rule(broken([](SampleApp& a) { a.developer.email = "not-an-email"; }), "developer.email",
                "email");
    expect_rule(broken([](SampleApp& a) { a.developer.website = "javascript:alert(1)"; }),
                "developer.website", "url");
    expect_rule(broken([](SampleApp& a) { a.developer.name.clear(); }), "developer.name",
                "required");
    expect_rule(broken([](SampleApp& a) {
                    a.contributors = {{"", "a@b.co", {}}};
                }),
                "contributors.0.name", "required");
    // Characters, not bytes, count toward max_length.
    SampleApp unicode = broken(
        [](SampleApp& a) { a.name = std::string(100, 'x') + std::string(50, 'x') + "日本語"; });
    EXPECT_NO_THROW(SampleApp::model().info().validate(SampleApp::model().to_document(unicode)));
}

template <typename Backend>
class ModelStore : public ::testing::Test {
  protected:
    void SetUp() override {
        FAMIGO_REQUIRE_BACKEND(Backend);
        store = backend.open();
        samples::register_samples(registry);
        migrate(*store, registry);
    }
    Backend backend;
    std::unique_ptr<Store> store;
    ModelRegistry registry;
};

TYPED_TEST_SUITE(ModelStore, testing::Backends, testing::BackendNames);

TYPED_TEST(ModelStore, TypedQueriesAndMigrate) {
    Objects<SampleApp> apps(*this->store, &this->registry);
    auto names = this->store->collection_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "sample_apps"), names.end());
    EXPECT_EQ(apps.collection().indexes().size(), 2u);  // platform_1_rating_-1, slug_1
    for (int i = 0; i < 5; ++i) {
        SampleApp app = valid_app("app-" + std::to_string(i));
        app.rating = i;
        app.platform = i % 2 ? "ios" : "android";
        apps.insert(app);
        EXPECT_EQ(app.id.size(), 24u);
    }
    SampleApp invalid = valid_app("bad slug");
    EXPECT_THROW(apps.insert(invalid), ValidationError);
    SampleApp duplicate = valid_app("app-1");
    EXPECT_THROW(apps.insert(duplicate), DuplicateKey);

    auto top = apps.where(field("platform") == "android").order_by("-rating").limit(2).all();
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].slug, "app-4");
    EXPECT_EQ(top[1].slug, "app-2");
    EXPECT_EQ(apps.where(q("rating__gte", 3)).count(), 2);
    EXPECT_EQ(apps.all().order_by("rating").first()->slug, "app-0");
    EXPECT_FALSE(apps.where(field("slug") == "none").get());
    EXPECT_THROW(apps.where(field("platform") == "ios").get(), MultipleObjects);
    auto only = apps.where(field("slug") == "app-3").only({"slug"}).first();
    EXPECT_EQ(only->name, "");  // not loaded
    auto bumped = apps.where(field("slug") == "app-3").modify(Update().inc("downloads", 10));
    EXPECT_EQ(bumped->downloads, 10);
    auto app = *apps.where(field("slug") == "app-3").get();
    app.name = "Renamed";
    apps.save(app);
    EXPECT_EQ(apps.get(app.id)->name, "Renamed");
    EXPECT_EQ(apps.all().distinct("platform"), (std::vector<Document>{"android", "ios"}));
}

// Models referring to a shelf with each delete rule.
struct Pin {
    std::string id;
    std::string label;
    std::optional<std::string> shelf;
    std::vector<std::string> shelves;
    static const Model<Pin>& model() {
        static const auto m =
            Model<Pin>("pins")
                .field("label", &Pin::label)
                .reference("shelf", &Pin::shelf, "sample_shelves", DeleteRule::Nullify)
                .reference("shelves", &Pin::shelves, "sample_shelves", DeleteRule::Pull);
        return m;
    }
};
struct Lock {
    std::string id;
    std::string shelf;
    static const Model<Lock>& model() {
        static const auto m = Model<Lock>("locks").reference("shelf", &Lock::shelf,
                                                             "sample_shelves", DeleteRule::Deny);
        return m;
    }
};

TYPED_TEST(ModelStore, DeleteRules) {
    this->registry.template add<Pin>().template add<Lock>();
    Objects<Shelf> shelves(*this->store, &this->registry);
    Objects<SampleApp> apps(*this->store, &this->registry);
    Objects<Pin> pins(*this->store, &this->registry);
    Objects<Lock> locks(*this->store, &this->registry);
    Shelf games{"", "Games"}, tools{"", "Tools"};
    shelves.insert(games);
    shelves.insert(tools);
    SampleApp a = valid_app("a"), b = valid_app("b"), c = valid_app("c");
    a.shelf = b.shelf = games.id;
    c.shelf = tools.id;
    apps.insert(a), apps.insert(b), apps.insert(c);
    Pin pin{"", "p", games.id, {games.id, tools.id}};
    pins.insert(pin);
    Lock lock{"", tools.id};
    locks.insert(lock);

    // DENY: tools is locked; nothing changes.
    EXPECT_THROW(shelves.remove(tools), DeleteDenied);
    EXPECT_EQ(apps.all().count(), 3);
    EXPECT_EQ(pins.get(pin.id)->shelves.size(), 2u);

    // CASCADE deletes games' apps, NULLIFY clears pin.shelf, PULL takes games out of pin.shelves.
    EXPECT_TRUE(shelves.remove(games));
    EXPECT_EQ(apps.all().count(), 1);
    auto after = *pins.get(pin.id);
    EXPECT_FALSE(after.shelf);
    EXPECT_EQ(after.shelves, std::vector<std::string>{tools.id});

    locks.remove(lock);
    EXPECT_TRUE(shelves.remove(tools));
    EXPECT_EQ(apps.all().count(), 0);
    EXPECT_TRUE(pins.get(pin.id)->shelves.empty());
}

}  // namespace
}  // namespace famigo::docstore
