#include "apps/catalog/mapping.hpp"

#include <gtest/gtest.h>

using namespace famigo::apps::catalog;

namespace {

const std::vector<std::string> kPlayColumns = {
    "App",   "Category",       "Rating", "Reviews",      "Size",        "Installs",   "Type",
    "Price", "Content Rating", "Genres", "Last Updated", "Current Ver", "Android Ver"};
const std::vector<std::string> kIosColumns = {"",
                                              "id",
                                              "track_name",
                                              "size_bytes",
                                              "currency",
                                              "price",
                                              "rating_count_tot",
                                              "rating_count_ver",
                                              "user_rating",
                                              "user_rating_ver",
                                              "ver",
                                              "cont_rating",
                                              "prime_genre",
                                              "sup_devices.num",
                                              "ipadSc_urls.num",
                                              "lang.num",
                                              "vpp_lic"};

Mapped play(std::vector<std::string> row) {
    return map_row(*detect_layout(kPlayColumns), row);
}
Mapped ios(std::vector<std::string> row) {
    return map_row(*detect_layout(kIosColumns), row);
}

const std::vector<std::string> kPlayRow = {"Photo Editor & Candy Camera & Grid & ScrapBook",
                                           "ART_AND_DESIGN",
                                           "4.1",
                                           "159",
                                           "19M",
                                           "10,000+",
                                           "Free",
                                           "0",
                                           "Everyone",
                                           "Art & Design;Pretend Play",
                                           "7-Jan-18",
                                           "1.0.0",
                                           "4.0.3 and up"};

std::string problems_of(const Mapped& mapped) {
    std::string out;
    for (const auto& p : mapped.problems) out += p + "|";
    return out;
}

}  // namespace

TEST(Layout, DetectsEachKindByItsHeader) {
    EXPECT_EQ(detect_layout(kPlayColumns)->kind, SourceKind::GooglePlay);
    EXPECT_EQ(detect_layout(kIosColumns)->kind, SourceKind::AppStore);
    EXPECT_FALSE(detect_layout({"name", "price"}));
    EXPECT_FALSE(detect_layout({"App", "Category"}));  // some columns are not enough
    // Columns are found by name, in any order.
    auto shuffled = kPlayColumns;
    std::swap(shuffled[0], shuffled[5]);
    auto layout = detect_layout(shuffled);
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->columns[0], 5);
}

TEST(PlayMapping, EveryField) {
    auto mapped = play(kPlayRow);
    ASSERT_TRUE(mapped.problems.empty()) << problems_of(mapped);
    const App& app = mapped.app;
    EXPECT_EQ(app.source_id, "gp:Photo Editor & Candy Camera & Grid & ScrapBook");
    EXPECT_EQ(app.title, "Photo Editor & Candy Camera & Grid & ScrapBook");
    EXPECT_EQ(app.title_key, "photo editor & candy camera & grid & scrapbook");
    EXPECT_EQ(app.platform, "android");
    EXPECT_EQ(app.category, "art-and-design");
    EXPECT_EQ(app.genres, (std::vector<std::string>{"Art & Design", "Pretend Play"}));
    EXPECT_DOUBLE_EQ(app.rating, 4.1);
    EXPECT_EQ(app.rating_count, 159);
    EXPECT_EQ(app.size_bytes, 19 * 1024 * 1024);
    EXPECT_EQ(app.installs, 10000);
    EXPECT_TRUE(app.free);
    EXPECT_EQ(app.price, 0);
    EXPECT_EQ(app.currency, "USD");
    EXPECT_EQ(app.content_rating, "Everyone");
    EXPECT_EQ(app.age_band, "0-5");
    EXPECT_EQ(app.last_updated, "2018-01-07");
    EXPECT_EQ(app.version, "1.0.0");
    EXPECT_EQ(app.store_id, "");
    EXPECT_EQ(app.store_url,
              "https://play.google.com/store/search?q=Photo+Editor+%26+Candy+Camera+%26+Grid+%26+"
              "ScrapBook&c=apps");
    EXPECT_TRUE(app.slug.empty());  // the importer picks it
    EXPECT_EQ(app.descriptors.ads, "unknown");
    EXPECT_FALSE(app.approved);
}

TEST(PlayMapping, NanRatingPaidAppAndVaryingSize) {
    auto row = kPlayRow;
    row[2] = "NaN";
    row[3] = "0";
    row[4] = "Varies with device";
    row[6] = "Paid";
    row[7] = "$4.99";
    row[8] = "Teen";
    row[10] = "January 7, 2018";
    row[11] = "NaN";
    auto mapped = play(row);
    ASSERT_TRUE(mapped.problems.empty()) << problems_of(mapped);
    EXPECT_EQ(mapped.app.rating, 0);
    EXPECT_EQ(mapped.app.rating_count, 0);
    EXPECT_FALSE(mapped.app.size_bytes);
    EXPECT_FALSE(mapped.app.free);
    EXPECT_DOUBLE_EQ(mapped.app.price, 4.99);
    EXPECT_EQ(mapped.app.age_band, "13+");
    EXPECT_EQ(mapped.app.last_updated, "2018-01-07");
    EXPECT_EQ(mapped.app.version, "");
}

TEST(PlayMapping, NanRatingKeepsTheReviewCount) {
    auto row = kPlayRow;
    row[2] = "NaN";
    row[3] = "27";
    auto mapped = play(row);
    EXPECT_EQ(mapped.app.rating, 0);
    EXPECT_EQ(mapped.app.rating_count, 27);
}

TEST(PlayMapping, FreeFromTypeOrZeroPrice) {
    auto row = kPlayRow;
    row[6] = "NaN";  // Command & Conquer: Rivals has no Type
    EXPECT_TRUE(play(row).app.free);
    row[6] = "Paid";
    row[7] = "0";
    EXPECT_TRUE(play(row).app.free);
}

TEST(PlayMapping, TheShiftedRowIsRejected) {
    // googleplaystore.csv line 10474: Category is missing, so every field is one column early.
    auto mapped = play({"Life Made WI-Fi Touchscreen Photo Frame", "1.9", "19", "3.0M", "1,000+",
                        "Free", "0", "", "", "11-Feb-18", "1.0.19", "4.0 and up", ""});
    auto all = problems_of(mapped);
    EXPECT_NE(all.find("category '1.9' is not a category name"), std::string::npos) << all;
    EXPECT_NE(all.find("rating 19 is above 5"), std::string::npos) << all;
    EXPECT_NE(all.find("reviews '3.0M' is not a whole number"), std::string::npos) << all;
    EXPECT_NE(all.find("size '1,000+' is not a size"), std::string::npos) << all;
    EXPECT_NE(all.find("last updated '1.0.19' is not a date"), std::string::npos) << all;
}

TEST(PlayMapping, OtherRejections) {
    auto row = kPlayRow;
    row[0] = "  ";
    EXPECT_EQ(problems_of(play(row)), "the title (App) is missing|");
    row = kPlayRow;
    row[2] = "-1";
    EXPECT_EQ(problems_of(play(row)), "rating -1 is below 0|");
    row = kPlayRow;
    row[2] = "good";
    EXPECT_EQ(problems_of(play(row)), "rating 'good' is not a number|");
    row = kPlayRow;
    row[5] = "lots";
    EXPECT_EQ(problems_of(play(row)), "installs 'lots' is not an install count|");
    row = kPlayRow;
    row[7] = "free!";
    EXPECT_EQ(problems_of(play(row)), "price 'free!' is not a price|");
    row = kPlayRow;
    row[10] = "31-Feb-18";
    EXPECT_EQ(problems_of(play(row)), "last updated '31-Feb-18' is not a date|");
    row = kPlayRow;
    row.pop_back();
    EXPECT_EQ(problems_of(play(row)), "12 fields where the header has 13|");
}

TEST(PlayMapping, ModelValidationErrorsAreProblems) {
    auto row = kPlayRow;
    row[9] = "a;b;c;d;e;f;g;h;i;j;k";  // 11 genres, the model allows 10
    auto all = problems_of(play(row));
    EXPECT_NE(all.find("field 'genres'"), std::string::npos) << all;
    EXPECT_NE(all.find("max_length"), std::string::npos) << all;
}

TEST(IosMapping, EveryField) {
    auto mapped = ios({"1", "281656475", "PAC-MAN Premium", "100788224", "USD", "3.99", "21292",
                       "26", "4", "4.5", "6.3.5", "9+", "Food & Drink", "38", "5", "10", "1"});
    ASSERT_TRUE(mapped.problems.empty()) << problems_of(mapped);
    const App& app = mapped.app;
    EXPECT_EQ(app.source_id, "ios:281656475");
    EXPECT_EQ(app.store_id, "281656475");
    EXPECT_EQ(app.store_url, "https://apps.apple.com/app/id281656475");
    EXPECT_EQ(app.title, "PAC-MAN Premium");
    EXPECT_EQ(app.title_key, "pac-man premium");
    EXPECT_EQ(app.platform, "ios");
    EXPECT_EQ(app.size_bytes, 100788224);
    EXPECT_EQ(app.currency, "USD");
    EXPECT_DOUBLE_EQ(app.price, 3.99);
    EXPECT_FALSE(app.free);
    EXPECT_EQ(app.rating, 4);
    EXPECT_EQ(app.rating_count, 21292);
    EXPECT_EQ(app.category, "food-drink");
    EXPECT_EQ(app.genres, std::vector<std::string>{"Food & Drink"});
    EXPECT_EQ(app.content_rating, "9+");
    EXPECT_EQ(app.age_band, "9-12");
    EXPECT_EQ(app.version, "6.3.5");
    EXPECT_EQ(app.installs, 0);
    EXPECT_EQ(app.last_updated, "");
}

TEST(IosMapping, Rejections) {
    std::vector<std::string> row = {"1", "x12", "",   "big",   "USD", "-1", "many", "0", "7",
                                    "0", "1",   "4+", "Games", "1",   "1",  "1",    "1"};
    EXPECT_EQ(problems_of(ios(row)),
              "id 'x12' is not an App Store id|the title (track_name) is missing|"
              "size_bytes 'big' is not a whole number|price '-1' is not a price|"
              "rating_count_tot 'many' is not a whole number|rating 7 is above 5|");
}

TEST(AgeBands, TheTable) {
    EXPECT_EQ(age_band_for("Everyone"), "0-5");
    EXPECT_EQ(age_band_for("4+"), "0-5");
    EXPECT_EQ(age_band_for("Everyone 10+"), "9-12");
    EXPECT_EQ(age_band_for("9+"), "9-12");
    EXPECT_EQ(age_band_for("Teen"), "13+");
    EXPECT_EQ(age_band_for("12+"), "13+");
    EXPECT_EQ(age_band_for("Mature 17+"), "13+");
    EXPECT_EQ(age_band_for("17+"), "13+");
    EXPECT_EQ(age_band_for("Adults only 18+"), "13+");
    EXPECT_EQ(age_band_for("Unrated"), "");
    EXPECT_EQ(age_band_for(""), "");
    EXPECT_EQ(age_band_for("Something new"), "");
    for (const auto& rule : age_band_table()) {
        bool known = rule.age_band.empty();
        for (const auto& band : kAgeBands) known = known || band == rule.age_band;
        EXPECT_TRUE(known) << rule.content_rating;
    }
}

TEST(Parsers, Installs) {
    EXPECT_EQ(parse_installs("10,000+"), 10000);
    EXPECT_EQ(parse_installs("1,000,000,000+"), 1000000000);
    EXPECT_EQ(parse_installs("0"), 0);
    EXPECT_EQ(parse_installs("Free"), std::nullopt);
    EXPECT_EQ(parse_installs(""), std::nullopt);
}

TEST(Parsers, PlaySize) {
    EXPECT_EQ(parse_play_size("19M"), std::optional<std::int64_t>(19 * 1048576));
    EXPECT_EQ(parse_play_size("7.5M"), std::optional<std::int64_t>(7864320));
    EXPECT_EQ(parse_play_size("201k"), std::optional<std::int64_t>(201 * 1024));
    EXPECT_EQ(parse_play_size("Varies with device"),
              std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>()));
    EXPECT_EQ(parse_play_size("1,000+"), std::nullopt);
    EXPECT_EQ(parse_play_size("M"), std::nullopt);
}

TEST(Parsers, Price) {
    EXPECT_EQ(parse_price("$4.99"), 4.99);
    EXPECT_EQ(parse_price("0"), 0.0);
    EXPECT_EQ(parse_price("Everyone"), std::nullopt);
    EXPECT_EQ(parse_price("$-1"), std::nullopt);
}

TEST(Parsers, PlayDates) {
    EXPECT_EQ(parse_play_date("7-Jan-18"), "2018-01-07");
    EXPECT_EQ(parse_play_date("28-Feb-16"), "2016-02-28");
    EXPECT_EQ(parse_play_date("29-Feb-16"), "2016-02-29");
    EXPECT_EQ(parse_play_date("29-Feb-17"), std::nullopt);
    EXPECT_EQ(parse_play_date("January 7, 2018"), "2018-01-07");
    EXPECT_EQ(parse_play_date("December 31, 2017"), "2017-12-31");
    EXPECT_EQ(parse_play_date("1.0.19"), std::nullopt);
    EXPECT_EQ(parse_play_date("7-Foo-18"), std::nullopt);
    EXPECT_EQ(parse_play_date("January 32, 2018"), std::nullopt);
}

TEST(Parsers, Numbers) {
    EXPECT_EQ(parse_number("4.5"), 4.5);
    EXPECT_EQ(parse_number(" 3 "), 3.0);
    EXPECT_EQ(parse_number("nan"), std::nullopt);
    EXPECT_EQ(parse_number("inf"), std::nullopt);
    EXPECT_EQ(parse_number("3.0M"), std::nullopt);
    EXPECT_EQ(parse_number(""), std::nullopt);
}

TEST(Slugs, Slugify) {
    EXPECT_EQ(slugify("Photo Editor & Candy Camera"), "photo-editor-candy-camera");
    EXPECT_EQ(slugify("  PAC-MAN -- Premium!  "), "pac-man-premium");
    EXPECT_EQ(slugify("Café Ünïcode"), "caf-n-code");
    EXPECT_EQ(slugify("微信"), "app");
    EXPECT_EQ(slugify("2048"), "app");  // no ASCII letter
    EXPECT_EQ(slugify(""), "app");
    std::string long_title(200, 'a');
    long_title[79] = ' ';
    auto slug = slugify(long_title);
    EXPECT_LE(slug.size(), 80u);
    EXPECT_NE(slug.back(), '-');
}

TEST(TitleKeys, FoldedAndCollapsed) {
    EXPECT_EQ(title_key("  Angry   BIRDS\t2 "), "angry birds 2");
    EXPECT_EQ(title_key("ÉCOLE Ёлка ΑΒΓ"), "école ёлка αβγ");
    EXPECT_EQ(title_key("a\xC2\xA0\xC2\xA0"
                        "b"),
              "a b");
    EXPECT_EQ(title_key("微信"), "微信");
}
