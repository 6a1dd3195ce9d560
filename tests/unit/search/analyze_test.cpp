// The text rules both backends share (search/analyze.hpp).
#include "search/analyze.hpp"

#include <gtest/gtest.h>

namespace famigo::search {
namespace {

using Words = std::vector<std::string>;

TEST(SearchWords, FoldCaseAccentsAndPunctuation) {
    EXPECT_EQ(words("Pokémon GO: Kid's Edition!"), (Words{"pokemon", "go", "kids", "edition"}));
    EXPECT_EQ(words("ÆSOP straße Łódź"), (Words{"aesop", "strasse", "lodz"}));
    EXPECT_EQ(words("Angry Birds™ 2 — HD"), (Words{"angry", "birds", "2", "hd"}));
    EXPECT_EQ(words("' quoted '"), (Words{"quoted"}));
    EXPECT_EQ(words(""), Words{});
    EXPECT_EQ(words(std::string(200, 'a'))[0].size(), 64u);  // a word is cut at 64 bytes
}

TEST(SearchParse, WordsPhrasesAndTheLastWordAsPrefix) {
    auto c = parse("math \"coloring book\" mine");
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].words, Words{"math"});
    EXPECT_TRUE(c[1].phrase);
    EXPECT_EQ(c[1].words, (Words{"coloring", "book"}));
    EXPECT_TRUE(c[2].prefix);
    EXPECT_FALSE(c[0].prefix);
    EXPECT_FALSE(parse("mine ").back().prefix);  // a finished word
}

TEST(SearchParse, UnpairedQuotesAndOperatorsAreHarmless) {
    auto c = parse("\"minecraft pocket");
    ASSERT_EQ(c.size(), 2u);
    EXPECT_FALSE(c[0].phrase);
    EXPECT_EQ(parse("+a -b (c* OR d~) ^e:f").size(), 7u);
    EXPECT_TRUE(parse("\"\"\"").empty());
    EXPECT_EQ(parse(std::string(10000, 'x') + " y").size(), 2u);
    std::string many;
    for (int i = 0; i < 100; ++i) many += "w" + std::to_string(i) + " ";
    EXPECT_EQ(parse(many).size(), kMaxClauses);
}

TEST(SearchParse, StopWordsRankButDoNotHaveToMatch) {
    auto c = parse("games for kids");
    EXPECT_FALSE(c[0].stop);
    EXPECT_TRUE(c[1].stop);
    EXPECT_FALSE(c[2].prefix && c[2].stop);
    // A query of stop words only keeps them as words that must match.
    EXPECT_FALSE(parse("the ")[0].stop);
}

TEST(SearchTypos, BudgetByLength) {
    EXPECT_EQ(typo_budget("chss"), 0);
    EXPECT_EQ(typo_budget("chess"), 1);
    EXPECT_EQ(typo_budget("minecraft"), 2);
    EXPECT_EQ(edit_distance("mincraft", "minecraft", 2), 1);
    EXPECT_EQ(edit_distance("mniecraft", "minecraft", 2), 1);  // a swap is one edit
    EXPECT_EQ(edit_distance("colrng", "coloring", 1), 2);      // limit + 1
    EXPECT_EQ(edit_distance("abc", "abc", 0), 0);
}

TEST(SearchWords, LongWordsCutAtALetter) {
    std::string han;
    for (int i = 0; i < 30; ++i) han += "\xE6\xBC\xA2";  // U+6F22, 3 bytes: one 90-byte word
    auto ws = words(han);
    ASSERT_EQ(ws.size(), 1u);
    EXPECT_EQ(ws[0].size(), 63u);  // 21 whole letters, not 64 bytes ending inside one
    EXPECT_EQ(ws[0], han.substr(0, 63));
    EXPECT_EQ(words(std::string(80, 'a'))[0].size(), 64u);
}

TEST(SearchTypos, LongTextStillMeasured) {
    // Longer than a word (64 bytes): the rows move to the heap, same answers.
    std::string a(100, 'a'), b(100, 'a');
    b[50] = 'b';
    EXPECT_EQ(edit_distance(a, b, 2), 1);
    EXPECT_EQ(edit_distance(a, a + "xyz", 2), 3);
}

TEST(SearchTypos, DistanceToTheClosestPrefix) {
    EXPECT_EQ(prefix_edit_distance("minec", "minecraft", 1), 0);
    EXPECT_EQ(prefix_edit_distance("mniec", "minecraft", 1), 1);  // a swap in the typed part
    EXPECT_EQ(prefix_edit_distance("mincr", "minecraft", 1), 1);  // a dropped letter
    EXPECT_EQ(prefix_edit_distance("minecarft", "minecraft", 2), 1);
    EXPECT_EQ(prefix_edit_distance("pokem", "poker", 1), 1);
    EXPECT_EQ(prefix_edit_distance("angry", "ant", 1), 2);  // limit + 1
    EXPECT_EQ(prefix_edit_distance("minecraft", "mine", 2), 3);
}

}  // namespace
}  // namespace famigo::search
