// Contract suite, part 1: every query operator, ordering, paging, projection,
// count, distinct and first/get, on every backend.
#include "backends.hpp"

namespace famigo::docstore {
namespace {

using testing::BackendNames;
using testing::Backends;

template <typename Backend>
class QueryContract : public ::testing::Test {
  protected:
    void SetUp() override {
        FAMIGO_REQUIRE_BACKEND(Backend);
        store = backend.open();
        apps = &store->collection("apps");
        apps->insert_many({
            {{"_id", "a1"},
             {"name", "Angry Birds"},
             {"rating", 4.5},
             {"price", 0},
             {"tags", {"game", "birds"}},
             {"dev", {{"name", "Rovio"}, {"country", "FI"}}},
             {"reviews", {{{"by", "ann"}, {"stars", 5}}, {{"by", "bob"}, {"stars", 2}}}}},
            {{"_id", "a2"},
             {"name", "Bad Piggies"},
             {"rating", 4},
             {"price", 1},
             {"tags", {"game"}},
             {"dev", {{"name", "Rovio"}, {"country", "FI"}}},
             {"reviews", Document::array()}},
            {{"_id", "a3"},
             {"name", "Calculator"},
             {"rating", 3},
             {"price", 0},
             {"tags", Document::array()},
             {"dev", {{"name", "Acme"}, {"country", "US"}}},
             {"beta", true}},
            {{"_id", "a4"},
             {"name", "Étoile ÉCOLE"},
             {"rating", 2.5},
             {"price", 2},
             {"tags", {"kids", "school", "game"}},
             {"dev", {{"name", "Lumière"}, {"country", "FR"}}},
             {"reviews", {{{"by", "cid"}, {"stars", 4}}}}},
            {{"_id", "a5"},
             {"name", "zoo"},
             {"price", nullptr},
             {"tags", {"kids"}},
             {"dev", {{"name", "Acme"}}}},
        });
    }

    std::vector<std::string> ids(const Filter& f, FindOptions options = {}) {
        if (options.sort.empty()) options.sort = {{"_id", false}};
        std::vector<std::string> out;
        for (auto& doc : apps->find(f, options)) out.push_back(doc["_id"]);
        return out;
    }

    Backend backend;
    std::unique_ptr<Store> store;
    Collection* apps = nullptr;
};

TYPED_TEST_SUITE(QueryContract, Backends, BackendNames);

using V = std::vector<std::string>;

TYPED_TEST(QueryContract, Comparisons) {
    EXPECT_EQ(this->ids(field("rating") == 4), V({"a2"}));
    EXPECT_EQ(this->ids(field("rating") == 4.0), V({"a2"}));
    EXPECT_EQ(this->ids(field("rating") != 4), V({"a1", "a3", "a4", "a5"}));
    EXPECT_EQ(this->ids(field("rating") > 3), V({"a1", "a2"}));
    EXPECT_EQ(this->ids(field("rating") >= 3), V({"a1", "a2", "a3"}));
    EXPECT_EQ(this->ids(field("rating") < 3), V({"a4"}));
    EXPECT_EQ(this->ids(field("rating") <= 3), V({"a3", "a4"}));
    EXPECT_EQ(this->ids(field("name") > "C"),
              V({"a3", "a4", "a5"}));  // strings only: type bracketing
    EXPECT_EQ(this->ids(field("price") == nullptr), V({"a5"}));
    EXPECT_EQ(this->ids(field("beta") == nullptr),
              V({"a1", "a2", "a4", "a5"}));  // null matches missing
    EXPECT_EQ(this->ids(field("beta") == true), V({"a3"}));
}

TYPED_TEST(QueryContract, MembershipAndExistence) {
    EXPECT_EQ(this->ids(field("price").in({1, 2})), V({"a2", "a4"}));
    EXPECT_EQ(this->ids(field("price").nin({0, 1})), V({"a4", "a5"}));
    EXPECT_EQ(this->ids(field("beta").exists()), V({"a3"}));
    EXPECT_EQ(this->ids(field("rating").exists(false)), V({"a5"}));
    EXPECT_EQ(this->ids(field("tags").size(1)), V({"a2", "a5"}));
    EXPECT_EQ(this->ids(field("tags").size(0)), V({"a3"}));
    EXPECT_EQ(this->ids(field("tags").all({"game", "kids"})), V({"a4"}));
    EXPECT_EQ(this->ids(field("tags") == "game"), V({"a1", "a2", "a4"}));  // one element of a list
    EXPECT_EQ(this->ids(field("tags").in({"birds", "school"})), V({"a1", "a4"}));
}

TYPED_TEST(QueryContract, StringOperators) {
    EXPECT_EQ(this->ids(field("name").exact("zoo")), V({"a5"}));
    EXPECT_EQ(this->ids(field("name").iexact("ZOO")), V({"a5"}));
    EXPECT_EQ(this->ids(field("name").contains("ig")), V({"a2"}));
    EXPECT_EQ(this->ids(field("name").icontains("BIRD")), V({"a1"}));
    EXPECT_EQ(this->ids(field("name").startswith("Ca")), V({"a3"}));
    EXPECT_EQ(this->ids(field("name").istartswith("ca")), V({"a3"}));
    EXPECT_EQ(this->ids(field("name").endswith("ies")), V({"a2"}));
    EXPECT_EQ(this->ids(field("name").iendswith("OO")), V({"a5"}));
    EXPECT_EQ(this->ids(field("name").regex("^[AB].*s$")), V({"a1", "a2"}));
    EXPECT_EQ(this->ids(field("name").regex("^angry", "i")), V({"a1"}));
    // Metacharacters in a contains() value are literal, never a pattern.
    EXPECT_EQ(this->ids(field("name").contains(".*")), V({}));
}

TYPED_TEST(QueryContract, Unicode) {
    EXPECT_EQ(this->ids(field("name").icontains("étoile")), V({"a4"}));
    EXPECT_EQ(this->ids(field("name").icontains("école")), V({"a4"}));
    EXPECT_EQ(this->ids(field("dev.name") == "Lumière"), V({"a4"}));
    std::string text = "日本語のテキスト 🎮 Ωμέγα";
    this->apps->insert({{"_id", "u1"}, {"name", text}});
    EXPECT_EQ(this->apps->get("u1")->at("name"), text);
    EXPECT_EQ(this->ids(field("name").contains("🎮")), V({"u1"}));
    EXPECT_EQ(this->ids(field("name").startswith("日本")), V({"u1"}));
}

TYPED_TEST(QueryContract, EmbeddedAndListElements) {
    EXPECT_EQ(this->ids(field("dev.name") == "Rovio"), V({"a1", "a2"}));
    EXPECT_EQ(this->ids(field("dev.country").in({"US", "FR"})), V({"a3", "a4"}));
    EXPECT_EQ(this->ids(field("reviews.by") == "bob"), V({"a1"}));
    EXPECT_EQ(this->ids(field("reviews.stars") >= 4), V({"a1", "a4"}));
    // One element must meet both conditions: ann gave 5, bob gave 2.
    EXPECT_EQ(this->ids(field("reviews").elem_match(field("by") == "bob" && field("stars") >= 4)),
              V({}));
    EXPECT_EQ(this->ids(field("reviews").elem_match(field("by") == "ann" && field("stars") >= 4)),
              V({"a1"}));
    EXPECT_EQ(this->ids(field("dev") == Document{{"country", "US"}, {"name", "Acme"}}), V({"a3"}));
}

TYPED_TEST(QueryContract, Logic) {
    EXPECT_EQ(this->ids(field("price") == 0 && field("rating") > 3), V({"a1"}));
    EXPECT_EQ(this->ids(field("price") == 2 || field("rating") > 4), V({"a1", "a4"}));
    EXPECT_EQ(this->ids(!(field("price") == 0)), V({"a2", "a4", "a5"}));
    EXPECT_EQ(this->ids((field("price") == 0 || field("price") == 1) && !field("tags").size(0)),
              V({"a1", "a2"}));
    EXPECT_EQ(this->ids(q("rating__gte", 4) && q("dev__name__icontains", "rov")), V({"a1", "a2"}));
    EXPECT_EQ(this->ids(q("name__not__startswith", "A")), V({"a2", "a3", "a4", "a5"}));
}

TYPED_TEST(QueryContract, JsonFilters) {
    EXPECT_EQ(this->ids(parse_filter_text(R"({"rating": {"$gte": 3, "$lt": 4.5}})")),
              V({"a2", "a3"}));
    EXPECT_EQ(this->ids(parse_filter_text(R"({"$or": [{"price": 2}, {"tags": {"$size": 0}}]})")),
              V({"a3", "a4"}));
    EXPECT_EQ(this->ids(parse_filter_text(R"({"rating": {"$not": {"$gt": 3}}})")),
              V({"a3", "a4", "a5"}));
    EXPECT_EQ(this->ids(parse_filter_text(R"({"name": {"$regex": "^b", "$options": "i"}})")),
              V({"a2"}));
    // A value shaped like an operator is only a value.
    EXPECT_EQ(this->ids(field("name") == Document{{"x", {{"y", 1}}}}), V({}));
    EXPECT_THROW(parse_filter_text(R"J({"$where": "sleep(1000)"})J"), QueryError);
}

TYPED_TEST(QueryContract, OrderingAndPaging) {
    FindOptions options;
    options.sort = parse_sort("-price,name");
    EXPECT_EQ(this->ids({}, options), V({"a4", "a2", "a1", "a3", "a5"}));
    options.sort = parse_sort("dev.name,-rating");
    EXPECT_EQ(this->ids({}, options), V({"a3", "a5", "a4", "a1", "a2"}));
    options.skip = 1;
    options.limit = 2;
    EXPECT_EQ(this->ids({}, options), V({"a5", "a4"}));
    options.skip = 10;
    EXPECT_EQ(this->ids({}, options), V({}));
    // A list sorts by its smallest element ascending, its largest descending.
    options = {};
    options.sort = parse_sort("tags,_id");
    EXPECT_EQ(this->ids(!field("tags").size(0), options), V({"a1", "a2", "a4", "a5"}));
    options.sort = parse_sort("-tags,_id");
    EXPECT_EQ(this->ids(!field("tags").size(0), options), V({"a4", "a5", "a1", "a2"}));
}

TYPED_TEST(QueryContract, ProjectionCountDistinctFirstGet) {
    FindOptions options;
    options.projection.only = {"name", "dev.country"};
    auto doc = this->apps->find_one(field("_id") == "a1", options);
    ASSERT_TRUE(doc);
    EXPECT_EQ(*doc,
              (Document{{"_id", "a1"}, {"name", "Angry Birds"}, {"dev", {{"country", "FI"}}}}));
    options.projection = {};
    options.projection.exclude = {"reviews", "dev", "tags"};
    doc = this->apps->find_one(field("_id") == "a2", options);
    EXPECT_EQ(*doc,
              (Document{{"_id", "a2"}, {"name", "Bad Piggies"}, {"rating", 4}, {"price", 1}}));

    EXPECT_EQ(this->apps->count(), 5);
    EXPECT_EQ(this->apps->count(field("price") == 0), 2);
    EXPECT_EQ(this->apps->distinct("dev.name"),
              (std::vector<Document>{"Acme", "Lumière", "Rovio"}));
    EXPECT_EQ(this->apps->distinct("tags", field("price") == 0),
              (std::vector<Document>{"birds", "game"}));
    EXPECT_FALSE(this->apps->find_one(field("name") == "nothing"));
    EXPECT_FALSE(this->apps->get("missing"));
    EXPECT_EQ(this->apps->get("a3")->at("name"), "Calculator");
}

TYPED_TEST(QueryContract, IndexedQueriesAgreeWithUnindexed) {
    this->apps->create_index({"", parse_sort("price,-rating"), false});
    this->apps->create_index({"by_name", parse_sort("name"), true});
    EXPECT_EQ(this->ids(field("price") == 0 && field("rating") > 3), V({"a1"}));
    EXPECT_EQ(this->ids(field("price") == nullptr), V({"a5"}));
    EXPECT_EQ(this->ids(field("price").in({1, 2})), V({"a2", "a4"}));
    FindOptions options;
    options.sort = parse_sort("price,-rating");
    EXPECT_EQ(this->ids({}, options), V({"a5", "a1", "a3", "a2", "a4"}));
    auto indexes = this->apps->indexes();
    ASSERT_EQ(indexes.size(), 2u);  // by name
    EXPECT_EQ(indexes[0], (IndexSpec{"by_name", {{"name", false}}, true}));
    EXPECT_EQ(indexes[1],
              (IndexSpec{"price_1_rating_-1", {{"price", false}, {"rating", true}}, false}));
    EXPECT_THROW(this->apps->insert({{"name", "zoo"}}), DuplicateKey);
}

}  // namespace
}  // namespace famigo::docstore
