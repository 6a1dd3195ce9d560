// The contract every search::Index backend keeps (DESIGN.md §2): the same
// suite on Xapian (a temporary folder) and on a real Solr (tests/env/solr/run).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "search/factory.hpp"
#include "solr_env.hpp"

namespace famigo::search {
namespace {

Schema schema() {
    return {{{"title", 5}, {"developer", 2}, {"category", 2}, {"review", 1}},
            {"platform", "category", "price"},
            {"rating", "installs"}};
}

Document app(std::string id, std::string title, std::string developer, std::string category,
             std::string platform, double rating, double prior, std::string review = "") {
    Document d;
    d.id = std::move(id);
    d.text = {{"title", title}, {"developer", developer}, {"category", category}};
    if (!review.empty()) d.text["review"] = review;
    d.keywords = {{"platform", platform}, {"category", category}, {"price", "free"}};
    d.numbers = {{"rating", rating}, {"installs", prior * 1000}};
    d.prior = prior;
    return d;
}

std::vector<Document> corpus() {
    return {app("1", "Minecraft: Pocket Edition", "Mojang", "games", "android", 4.5, 0.9),
            app("2", "Pokémon GO", "Niantic", "games", "ios", 4.0, 0.8),
            app("3", "Coloring Book for Kids", "Happy Kids Apps", "education", "android", 4.2, 0.3),
            app("4", "Kids Coloring Pages", "Color Fun", "education", "ios", 3.9, 0.2),
            app("5", "Math Games for Kids", "RV AppStudios", "education", "android", 4.6, 0.6),
            app("6", "Toddler ABC Learning", "Edu Kids", "education", "ios", 4.1, 0.1),
            app("7", "Photo Editor Pro", "Pic Tools", "photography", "android", 3.5, 0.5,
                "Great filters for your photos"),
            app("8", "Chess Game", "Board Masters", "games", "android", 4.3, 0.2),
            app("9", "Chess Game", "Other Studio", "games", "ios", 4.4, 0.7)};
}

struct XapianBackend {
    static constexpr const char* kName = "xapian";
    std::filesystem::path dir;
    std::string setup() {
        char tmpl[] = "/tmp/famigo-xapian-XXXXXX";
        if (!mkdtemp(tmpl)) return "mkdtemp failed";
        dir = tmpl;
        return {};
    }
    ~XapianBackend() {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
    std::string url() const { return "xapian://" + (dir / "index").string(); }
};

struct SolrBackend {
    static constexpr const char* kName = "solr";
    std::string url_;
    std::string setup() {
        std::string error;
        url_ = testing::solr_url(error);
        return error;
    }
    std::string url() const { return url_; }
};

template <class Backend>
class SearchContract : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error = backend_.setup();
        if (!error.empty()) {
            if (testing::services_required()) FAIL() << error;
            GTEST_SKIP() << error << " (FAMIGO_REQUIRE_SERVICES=1 makes this fail)";
        }
        index_ = make_index({backend_.url(), std::chrono::milliseconds(10000)}, schema());
        index_->rebuild()->finish();  // an empty index: Solr is shared by the tests
        auto docs = corpus();
        index_->upsert(docs);
        index_->commit();
    }
    std::vector<std::string> ids(const std::string& text, std::size_t limit = 20) {
        Query q;
        q.text = text;
        q.limit = limit;
        return index_->query(q).ids;
    }
    std::string first(const std::string& text) {
        auto found = ids(text);
        return found.empty() ? "" : found[0];
    }

    Backend backend_;
    std::unique_ptr<Index> index_;
};

struct BackendName {
    template <class T>
    static std::string GetName(int) {
        return T::kName;
    }
};

using Backends = ::testing::Types<XapianBackend, SolrBackend>;
TYPED_TEST_SUITE(SearchContract, Backends, BackendName);

using Ids = std::vector<std::string>;

bool contains(const Ids& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TYPED_TEST(SearchContract, FindsByTitleWord) {
    EXPECT_EQ(this->first("minecraft "), "1");
    EXPECT_EQ(this->index_->stats().documents, 9u);
}

TYPED_TEST(SearchContract, WordsInAnyOrderAndAllWordsFirst) {
    auto found = this->ids("kids coloring ");
    ASSERT_GE(found.size(), 3u);
    EXPECT_EQ((std::set<std::string>{found[0], found[1]}), (std::set<std::string>{"3", "4"}));
    EXPECT_TRUE(contains(found, "5"));  // "kids" only: found, ranked after
    EXPECT_EQ(this->first("edition pocket minecraft "), "1");
}

TYPED_TEST(SearchContract, LastWordIsAPrefix) {
    EXPECT_EQ(this->first("minec"), "1");
    EXPECT_EQ(this->first("pokemon g"), "2");
    EXPECT_TRUE(this->ids("minec ").empty());  // a finished word is not a prefix
}

TYPED_TEST(SearchContract, TyposByWordLength) {
    EXPECT_EQ(this->first("mincraft "), "1");   // one edit, 8 letters
    EXPECT_EQ(this->first("mincraftt "), "1");  // two edits, 9 letters
    EXPECT_TRUE(this->ids("colrng ").empty());  // two edits in 6 letters: too many
    EXPECT_TRUE(this->ids("chss ").empty());    // no typo in words under 5 letters
    EXPECT_EQ(this->first("toddlr "), "6");
}

TYPED_TEST(SearchContract, FoldsCaseAccentsAndPunctuation) {
    EXPECT_EQ(this->first("POKEMON "), "2");
    EXPECT_EQ(this->first("pokémon "), "2");
    EXPECT_EQ(this->first("minecraft:pocket "), "1");
}

TYPED_TEST(SearchContract, StemsEnglish) {
    auto found = this->ids("games ");
    EXPECT_TRUE(contains(found, "8"));                 // "Chess Game"
    EXPECT_TRUE(contains(this->ids("filter "), "7"));  // review text "filters"
}

TYPED_TEST(SearchContract, QuotesMakeAPhrase) {
    EXPECT_EQ(this->ids("\"coloring book\""), Ids{"3"});
}

TYPED_TEST(SearchContract, PriorBreaksTies) {
    auto found = this->ids("chess game ");
    ASSERT_GE(found.size(), 2u);
    EXPECT_EQ(found[0],
              "9");  // same text match (title and a developer without "chess"), higher prior
    EXPECT_EQ(found[1], "8");
}

TYPED_TEST(SearchContract, FiltersFacetsSortAndPaging) {
    Query q;
    q.text = "kids ";
    q.filters = {{"platform", {"ios"}}};
    q.facets = {"category", "platform"};
    auto r = this->index_->query(q);
    EXPECT_EQ((std::set<std::string>(r.ids.begin(), r.ids.end())),
              (std::set<std::string>{"4", "6"}));
    EXPECT_EQ(r.total, 2u);
    EXPECT_EQ(r.facets["platform"], (std::vector<FacetValue>{{"ios", 2}}));
    EXPECT_EQ(r.facets["category"], (std::vector<FacetValue>{{"education", 2}}));

    Query all;
    all.filters = {{"category", {"education"}}};
    all.sort = "-rating";
    EXPECT_EQ(this->index_->query(all).ids, (Ids{"5", "3", "6", "4"}));
    all.sort = "rating";
    all.limit = 2;
    all.offset = 1;
    auto page = this->index_->query(all);
    EXPECT_EQ(page.ids, (Ids{"6", "3"}));
    EXPECT_EQ(page.total, 4u);
    Query facets;
    facets.facets = {"platform"};
    EXPECT_EQ(this->index_->query(facets).facets["platform"],
              (std::vector<FacetValue>{{"android", 5}, {"ios", 4}}));
}

TYPED_TEST(SearchContract, UpsertReplacesAndRemoveDeletes) {
    std::vector<Document> changed = {
        app("7", "Sticker Maker", "Pic Tools", "photography", "android", 3.5, 0.5)};
    this->index_->upsert(changed);
    std::vector<std::string> gone = {"1"};
    this->index_->remove(gone);
    this->index_->commit();
    EXPECT_TRUE(this->ids("editor ").empty());
    EXPECT_EQ(this->first("sticker "), "7");
    EXPECT_TRUE(this->ids("minecraft ").empty());
    EXPECT_EQ(this->index_->stats().documents, 8u);
}

// Search as you type over many titles holding the typed prefix: the page is
// the highest priors, and stays so when upserts change priors, add apps and
// remove them (Xapian keeps documents in prior order by their ids: a prior
// that changes moves its document; search/xapian/xapian_query.hpp).
TYPED_TEST(SearchContract, PrefixPagesFollowThePriorThroughUpdates) {
    auto rebuild = this->index_->rebuild();
    std::vector<Document> games;
    for (int i = 0; i < 30; ++i)  // priors in an order unlike their ids
        games.push_back(app("g" + std::to_string(i), "Gadget " + std::to_string(i), "Studio",
                            "games", "ios", 4.0, double((i * 7) % 30) / 30.0));
    rebuild->add(games);
    rebuild->finish();
    EXPECT_EQ(this->ids("gad", 3), (Ids{"g17", "g4", "g21"}));  // priors 29/30, 28/30, 27/30
    std::vector<Document> changed = {
        app("g0", "Gadget 0", "Studio", "games", "ios", 4.0, 0.99),         // 0 -> the top
        app("g17", "Gadget 17", "Studio", "games", "ios", 4.0, 0.0),        // the top -> 0
        app("new", "Gadget Deluxe", "Studio", "games", "ios", 4.0, 0.95)};  // a new app
    this->index_->upsert(changed);
    std::vector<std::string> gone = {"g4"};
    this->index_->remove(gone);
    this->index_->commit();
    EXPECT_EQ(this->ids("gad", 4), (Ids{"g0", "new", "g21", "g8"}));  // g8: 26/30
    EXPECT_EQ(this->first("gadget de"), "new");
    EXPECT_EQ(this->index_->stats().documents, 30u);
}

TYPED_TEST(SearchContract, SuggestsSpelling) {
    EXPECT_EQ(this->index_->suggest("mincraft"), "minecraft");
    EXPECT_EQ(this->index_->suggest("minecraft"), "");
    Query q;
    q.text = "pokemn edtor ";
    auto r = this->index_->query(q);
    EXPECT_EQ(r.suggestion, "pokemon editor");
}

TYPED_TEST(SearchContract, RebuildSwapsInOneStep) {
    auto rebuild = this->index_->rebuild();
    std::vector<Document> fresh = {app("20", "Fresh Start", "New", "games", "ios", 4.0, 0.1)};
    rebuild->add(fresh);
    EXPECT_EQ(this->index_->stats().documents, 9u);  // the old index until finish()
    EXPECT_EQ(this->first("minecraft "), "1");
    rebuild->finish();
    EXPECT_EQ(this->index_->stats().documents, 1u);
    EXPECT_EQ(this->first("fresh "), "20");
    EXPECT_TRUE(this->ids("minecraft ").empty());
}

TYPED_TEST(SearchContract, BadInputIsHarmless) {
    for (std::string text :
         {std::string(10000, 'a'), std::string("\"unbalanced quote"),
          std::string("+a -b (c* OR d~) ^e:f \\ {!func}x"), std::string("\x01\x02\x7f tab\there"),
          std::string("\"\"\""), std::string("\xff\xfe broken utf8")}) {
        Query q;
        q.text = text;
        EXPECT_NO_THROW(this->index_->query(q)) << text.substr(0, 40);
    }
    Query bad;
    bad.filters = {{"nope", {"x"}}};
    EXPECT_THROW(this->index_->query(bad), Error);
}

}  // namespace
}  // namespace famigo::search
