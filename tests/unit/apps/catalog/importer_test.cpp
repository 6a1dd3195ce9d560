#include "apps/catalog/importer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "docstore/objects.hpp"

using namespace famigo::apps::catalog;
namespace docstore = famigo::docstore;
namespace fs = std::filesystem;
using docstore::field;

namespace {

const char kPlayHeader[] =
    "App,Category,Rating,Reviews,Size,Installs,Type,Price,Content Rating,Genres,Last Updated,"
    "Current Ver,Android Ver\n";
const char kIosHeader[] =
    ",id,track_name,size_bytes,currency,price,rating_count_tot,rating_count_ver,user_rating,"
    "user_rating_ver,ver,cont_rating,prime_genre,sup_devices.num,ipadSc_urls.num,lang.num,vpp_"
    "lic\n";

class ImporterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("famigo-catalog-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        docstore::StoreOptions options;
        options.url = "sqlite://" + (dir_ / "store.db").string();
        store_ = docstore::open_store(options);
        docstore::ModelRegistry registry;
        register_models(registry);
        docstore::migrate(*store_, registry);
    }
    void TearDown() override {
        store_.reset();
        fs::remove_all(dir_);
    }
    fs::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return dir_ / name;
    }
    ImportReport run(const std::vector<fs::path>& files) { return import_catalog(*store_, files); }
    std::optional<App> app(const std::string& source_id) {
        return docstore::Objects<App>(*store_).where(field("source_id") == source_id).first();
    }
    std::int64_t generation() {
        auto doc = store_->collection("meta").get("catalog");
        return doc ? doc->at("generation").get<std::int64_t>() : 0;
    }

    fs::path dir_;
    std::unique_ptr<docstore::Store> store_;
};

const std::string kPlay =
    std::string(kPlayHeader) +
    "Angry Birds,GAME,4.5,100,50M,\"1,000,000+\",Free,0,Everyone,Arcade,1-Jan-18,1.0,4.0 and up\r\n"
    "Chess,BOARD,4.0,10,1M,100+,Free,0,Everyone,Board,1-Jan-18,1.0,4.0 and up\r\n"
    "Angry Birds,GAME,4.6,120,50M,\"1,000,000+\",Free,0,Everyone,Arcade,2-Jan-18,1.1,4.0 and up\r\n"
    "Broken,1.9,19,3.0M,\"1,000+\",Free,0,,,11-Feb-18,1.0.19,4.0 and up,\r\n"
    "Chess!,BOARD,4.0,10,1M,100+,Free,0,Teen,Board,1-Jan-18,1.0,4.0 and up\r\n"
    "Angry Birds,GAME,4.6,120,50M,\"1,000,000+\",Free,0,Everyone,Arcade,2-Jan-18,1.1,4.0 and "
    "up\r\n";
const std::string kIos = std::string(kIosHeader) +
                         "1,100,Angry Birds,1000,USD,0.99,5,1,4.5,4.5,2.0,4+,Games,1,1,1,1\n"
                         "2,101,Chess,2000,USD,0,5,1,4,4,1.0,12+,Board,1,1,1,1\n";

TEST_F(ImporterTest, CountsMergesRejectsAndSlugs) {
    auto report = run({write("googleplaystore.csv", kPlay), write("AppleStore.csv", kIos)});
    ASSERT_EQ(report.files.size(), 2u);
    const auto& gp = report.files[0];
    EXPECT_EQ(gp.kind, SourceKind::GooglePlay);
    EXPECT_EQ(gp.read, 6);
    EXPECT_EQ(gp.inserted, 3);
    EXPECT_EQ(gp.duplicates, 2);
    EXPECT_EQ(gp.rejected, 1);
    const auto& ios = report.files[1];
    EXPECT_EQ(ios.kind, SourceKind::AppStore);
    EXPECT_EQ(ios.read, 2);
    EXPECT_EQ(ios.inserted, 2);
    ASSERT_EQ(report.rejected.size(), 1u);
    EXPECT_EQ(report.rejected[0].file, "googleplaystore.csv");
    EXPECT_EQ(report.rejected[0].line, 5u);
    EXPECT_NE(report.rejected[0].reason.find("rating 19 is above 5"), std::string::npos);
    EXPECT_EQ(store_->collection("apps").count(), 5);
    EXPECT_EQ(generation(), 1);
    EXPECT_EQ(report.generation, 1);

    // The last duplicate row wins; slugs are unique, platform-suffixed on collision.
    auto birds = app("gp:Angry Birds");
    ASSERT_TRUE(birds);
    EXPECT_EQ(birds->version, "1.1");
    EXPECT_EQ(birds->slug, "angry-birds");
    EXPECT_EQ(app("gp:Chess")->slug, "chess");
    EXPECT_EQ(app("gp:Chess!")->slug, "chess-android");
    EXPECT_EQ(app("ios:100")->slug, "angry-birds-ios");
    EXPECT_EQ(app("ios:101")->slug, "chess-ios");
    EXPECT_EQ(app("gp:Chess!")->age_band, "13+");
}

TEST_F(ImporterTest, ReimportIsIdempotentAndKeepsEditorialFields) {
    auto play = write("googleplaystore.csv", kPlay);
    auto ios = write("AppleStore.csv", kIos);
    run({play, ios});
    // An editor works on an app.
    store_->collection("apps").update(field("source_id") == "gp:Angry Birds",
                                      docstore::Update()
                                          .set("approved", true)
                                          .set("review_cool", "Birds!")
                                          .set("descriptors.ads", "yes")
                                          .set("age_band", "6-8"));

    auto again = run({play, ios});
    auto total = again.total();
    EXPECT_EQ(total.read, 8);
    EXPECT_EQ(total.inserted, 0);
    EXPECT_EQ(total.updated, 0);
    EXPECT_EQ(total.unchanged, 5);
    EXPECT_EQ(total.duplicates, 2);
    EXPECT_EQ(total.rejected, 1);
    EXPECT_FALSE(again.changed());
    EXPECT_EQ(generation(), 1);  // nothing changed: no bump

    // The store changes a listing, and the title: only store fields are written.
    std::string changed = kPlay;
    changed.replace(changed.rfind("4.6,120"), 7, "4.8,130");
    changed.replace(changed.rfind("Angry Birds"), 11, "Angry Birds");  // same key
    run({write("googleplaystore.csv", changed)});
    auto birds = app("gp:Angry Birds");
    EXPECT_DOUBLE_EQ(birds->rating, 4.8);
    EXPECT_EQ(birds->rating_count, 130);
    EXPECT_TRUE(birds->approved);
    EXPECT_EQ(birds->review_cool, "Birds!");
    EXPECT_EQ(birds->descriptors.ads, "yes");
    EXPECT_EQ(birds->age_band, "6-8");
    EXPECT_EQ(birds->slug, "angry-birds");
    EXPECT_EQ(generation(), 2);
}

TEST_F(ImporterTest, UpdatesCountOnlyWhatChanged) {
    auto ios = write("AppleStore.csv", kIos);
    run({ios});
    std::string renamed =
        std::string(kIosHeader) +
        "1,100,Angry Birds Classic,1000,USD,0.99,5,1,4.5,4.5,2.0,9+,Games,1,1,1,1\n"
        "2,101,Chess,2000,USD,0,5,1,4,4,1.0,12+,Board,1,1,1,1\n";
    auto report = run({write("AppleStore.csv", renamed)});
    EXPECT_EQ(report.files[0].updated, 1);
    EXPECT_EQ(report.files[0].unchanged, 1);
    auto birds = app("ios:100");
    EXPECT_EQ(birds->title, "Angry Birds Classic");
    EXPECT_EQ(birds->title_key, "angry birds classic");
    EXPECT_EQ(birds->slug, "angry-birds");  // stable: the slug never follows the title
    EXPECT_EQ(birds->content_rating, "9+");
    EXPECT_EQ(birds->age_band, "9-12");  // follows the rating: nobody had changed it
    EXPECT_EQ(generation(), 2);
}

TEST_F(ImporterTest, SizeThatStartsVaryingIsUnset) {
    std::string play = std::string(kPlayHeader) +
                       "Chess,BOARD,4.0,10,1M,100+,Free,0,Everyone,Board,1-Jan-18,1.0,4.0 and up\n";
    run({write("googleplaystore.csv", play)});
    EXPECT_EQ(app("gp:Chess")->size_bytes, 1048576);
    play.replace(play.find(",1M,"), 4, ",Varies with device,");
    auto report = run({write("googleplaystore.csv", play)});
    EXPECT_EQ(report.files[0].updated, 1);
    EXPECT_FALSE(app("gp:Chess")->size_bytes);
    EXPECT_FALSE(store_->collection("apps")
                     .find_one(field("source_id") == "gp:Chess")
                     ->contains("size_bytes"));
}

TEST(UniqueSlug, Sequence) {
    std::unordered_set<std::string> taken;
    EXPECT_EQ(unique_slug("Chess", "android", taken), "chess");
    EXPECT_EQ(unique_slug("Chess", "ios", taken), "chess-ios");
    EXPECT_EQ(unique_slug("Chess!", "ios", taken), "chess-ios-2");
    EXPECT_EQ(unique_slug("CHESS", "ios", taken), "chess-ios-3");
    EXPECT_EQ(unique_slug("Chess", "android", taken), "chess-android");
    EXPECT_EQ(unique_slug("微信", "ios", taken), "app");
    EXPECT_EQ(unique_slug("微博", "ios", taken), "app-ios");
}

TEST_F(ImporterTest, UnknownOrBrokenFilesWriteNothing) {
    auto good = write("AppleStore.csv", kIos);
    auto other = write("people.csv", "name,email\nann,a@example.com\n");
    try {
        run({good, other});
        FAIL() << "no error";
    } catch (const ImportError& e) {
        EXPECT_NE(std::string(e.what()).find("people.csv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not a Google Play"), std::string::npos) << e.what();
    }
    auto broken = write("broken.csv", std::string(kIosHeader) + "1,100,\"Angry Birds,1000\n");
    try {
        run({good, broken});
        FAIL() << "no error";
    } catch (const ImportError& e) {
        EXPECT_NE(std::string(e.what()).find("broken.csv:2: a quoted field is not closed"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(store_->collection("apps").count(), 0);
    EXPECT_THROW(expand_paths({(dir_ / "missing.csv").string()}), ImportError);
    auto folder = expand_paths({dir_.string()});
    ASSERT_EQ(folder.size(), 3u);  // *.csv by name: AppleStore, broken, people
    EXPECT_EQ(folder[0].filename(), "AppleStore.csv");
}

TEST_F(ImporterTest, TheRealDemoFiles) {
    fs::path data = FAMIGO_DATA_DIR;
    std::vector<fs::path> files = {data / "googleplaystore.csv", data / "AppleStore.csv"};
    auto first = run(files);
    const auto& gp = first.files[0];
    EXPECT_EQ(gp.read, 10841);
    EXPECT_EQ(gp.inserted, 9659);
    EXPECT_EQ(gp.duplicates, 1181);
    EXPECT_EQ(gp.rejected, 1);
    const auto& ios = first.files[1];
    EXPECT_EQ(ios.read, 7197);
    EXPECT_EQ(ios.inserted, 7197);
    EXPECT_EQ(ios.duplicates, 0);
    EXPECT_EQ(ios.rejected, 0);
    ASSERT_EQ(first.rejected.size(), 1u);
    EXPECT_EQ(first.rejected[0].file, "googleplaystore.csv");
    EXPECT_EQ(first.rejected[0].line, 10474u);
    EXPECT_EQ(store_->collection("apps").count(), 9659 + 7197);

    auto again = run(files);
    EXPECT_EQ(again.total().read, 10841 + 7197);
    EXPECT_EQ(again.total().inserted, 0);
    EXPECT_EQ(again.total().updated, 0);
    EXPECT_EQ(again.total().unchanged, 9659 + 7197);
    EXPECT_EQ(generation(), 1);
}

TEST_F(ImporterTest, MergedRowsKeepTheirGenresAndCategory) {
    auto csv = std::string(kPlayHeader) +
               "Coloring book,ART_AND_DESIGN,4.1,10,1M,100+,Free,0,Everyone,Art & Design;Pretend "
               "Play,1-Jan-18,1.0,4.0 and up\n"
               "Coloring book,FAMILY,4.1,10,1M,100+,Free,0,Everyone,Art & Design;Creativity,"
               "1-Jan-18,1.0,4.0 and up\n";
    run({write("googleplaystore.csv", csv)});
    auto book = app("gp:Coloring book");
    ASSERT_TRUE(book);
    EXPECT_EQ(book->category, "family");  // the last row wins
    EXPECT_EQ(book->genres, (std::vector<std::string>{"Art & Design", "Creativity", "Pretend Play",
                                                      "Art and design"}));
}

}  // namespace
