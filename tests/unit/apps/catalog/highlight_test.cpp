// Search-result highlighting (highlight.hpp) and the search page's query
// parsing (query.hpp's parse_search_query).
#include "apps/catalog/highlight.hpp"

#include <gtest/gtest.h>

#include "apps/catalog/query.hpp"

using namespace famigo::apps::catalog;

TEST(Highlight, MarksMatchedWordsAndEscapesEverything) {
    EXPECT_EQ(highlight_html("Minecraft: Pocket Edition", "mincraft"),
              "<mark>Minecraft</mark>: Pocket Edition");
    EXPECT_EQ(highlight_html("Pokémon GO", "pokemon go"), "<mark>Pokémon</mark> <mark>GO</mark>");
    EXPECT_EQ(highlight_html("Math Games for Kids", "game"), "Math <mark>Games</mark> for Kids");
    EXPECT_EQ(highlight_html("Kid's <b>ABC</b> & more", "abc"),
              "Kid&#x27;s &lt;b&gt;<mark>ABC</mark>&lt;/b&gt; &amp; more");
    EXPECT_EQ(highlight_html("A Tale", "a"), "<mark>A</mark> Tale");  // exact, not "a" as a prefix
    EXPECT_EQ(highlight_html("Chess", ""), "Chess");
    EXPECT_EQ(highlight_html("<script>", "script"), "&lt;<mark>script</mark>&gt;");
}

TEST(SearchQueryParsing, TextSortFiltersAndLimits) {
    auto q = parse_search_query("q=mine%01craft&sort=installs&platform=ios&age=6-8&page=2");
    EXPECT_EQ(q.q, "mine craft");
    EXPECT_EQ(q.sort, "installs");
    EXPECT_EQ(q.filters.platform, "ios");
    EXPECT_EQ(q.filters.age, "6-8");
    EXPECT_EQ(q.filters.page, 2);
    EXPECT_EQ(q.query_string(3), "q=mine+craft&platform=ios&age=6-8&page=3&sort=installs");
    EXPECT_EQ(parse_search_query("").sort, "relevance");
    EXPECT_EQ(parse_search_query("q=" + std::string(200, 'x')).q.size(), 200u);
    try {
        parse_search_query("q=" + std::string(201, 'x'));
        FAIL() << "a 201-character q was accepted";
    } catch (const BadParameter& e) {
        EXPECT_EQ(e.field(), "q");
    }
    // Bytes that are not UTF-8 (a Latin-1 "café", a lone continuation byte):
    // 400 naming q, though the form parser would have made them U+FFFD.
    for (const char* bad : {"q=caf%E9", "q=%80", "sort=rating&q=ok&q=%C3"}) {
        try {
            parse_search_query(bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const BadParameter& e) {
            EXPECT_EQ(e.field(), "q") << bad;
            EXPECT_NE(std::string(e.what()).find("not UTF-8"), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(parse_search_query("q=caf%C3%A9").q, "caf\xC3\xA9");
    EXPECT_EQ(parse_search_query("qq=%E9&q=ok").q, "ok");
    EXPECT_THROW(parse_term("term=caf%E9"), BadParameter);
    EXPECT_THROW(parse_search_query("sort=title"), BadParameter);
    EXPECT_THROW(parse_search_query("age=7"), BadParameter);
    std::string canonical;
    EXPECT_TRUE(search_cache_query("utm_source=x&q=chess", canonical));
    EXPECT_EQ(canonical, "q=chess");
    EXPECT_FALSE(search_cache_query("page=0", canonical));
}
