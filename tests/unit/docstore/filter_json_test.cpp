// The JSON filter form refuses what could run code or smuggle an operator, and
// says where; the keyword form and the Mongo translation keep values as values.
#include <gtest/gtest.h>

#include "docstore/filter.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore {
namespace {

std::string error_of(std::string_view json) {
    try {
        parse_filter_text(json);
    } catch (const QueryError& e) {
        return e.what();
    }
    return "";
}

TEST(FilterJson, RefusesJavaScriptAndUnknownOperators) {
    EXPECT_NE(error_of(R"J({"$where": "this.a > 1"})J").find("'$where'"), std::string::npos);
    EXPECT_NE(error_of(R"J({"$where": "this.a > 1"})J").find("JavaScript"), std::string::npos);
    EXPECT_NE(error_of(R"({"$expr": {"$gt": ["$a", 1]}})").find("not allowed"), std::string::npos);
    EXPECT_NE(error_of(R"({"$function": {}})").find("not allowed"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$where": "1"}})").find("at 'a'"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$foo": 1}})").find("unknown operator '$foo' at 'a'"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"$or": [{"a": {"$bar": 1}}]})").find("'$bar'"), std::string::npos);
    EXPECT_NE(error_of(R"({"$banana": 1})").find("unknown operator"), std::string::npos);
}

TEST(FilterJson, RefusesMalformedInput) {
    EXPECT_NE(error_of("{").find("not valid JSON"), std::string::npos);
    EXPECT_NE(error_of("[1]").find("JSON object"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$in": 5}})").find("needs a list"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$size": -1}})").find("size"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$gt": 1, "b": 2}})").find("cannot mix"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$eq": {"$gt": 1}}})").find("not allowed"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"x": {"$ne": 1}}})").find("not allowed"), std::string::npos);
    EXPECT_NE(error_of(R"({"$and": []})").find("non-empty list"), std::string::npos);
    EXPECT_NE(error_of(R"({"a..b": 1})").find("not valid"), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$regex": "("}})").find(""), std::string::npos);
    EXPECT_NE(error_of(R"({"a": {"$regex": "x", "$options": "g"}})").find("regex option"),
              std::string::npos);
}

TEST(FilterJson, ParsesAndMatches) {
    Document doc = {{"a", 3}, {"tags", {"x", "y"}}, {"sub", {{"b", "Hello"}}}};
    auto yes = [&](std::string_view json) { return matches(parse_filter_text(json), doc); };
    EXPECT_TRUE(yes(R"({})"));
    EXPECT_TRUE(yes(R"({"a": 3, "tags": "x"})"));
    EXPECT_TRUE(yes(R"({"a": {"$in": [1, 3]}, "sub.b": {"$regex": "^h", "$options": "i"}})"));
    EXPECT_TRUE(yes(R"({"$nor": [{"a": 4}], "tags": {"$all": ["y", "x"]}})"));
    EXPECT_TRUE(yes(R"({"tags": {"$elemMatch": {"$gte": "y"}}, "missing": {"$exists": false}})"));
    EXPECT_FALSE(yes(R"({"a": {"$not": {"$lt": 5}}})"));
    EXPECT_FALSE(yes(R"({"a": {"$gt": "2"}})"));  // a number is never greater than a string
}

TEST(FilterJson, MongoFormKeepsValuesAsValues) {
    Filter f = field("a") == Document{{"k", "v"}};
    EXPECT_EQ(to_mongo(f), (Document{{"a", {{"$eq", {{"k", "v"}}}}}}));
    EXPECT_EQ(to_mongo(field("name").icontains("a.b")),
              (Document{{"name", {{"$regex", "a\\.b"}, {"$options", "i"}}}}));
    EXPECT_EQ(to_mongo(field("a") == 1), (Document{{"a", 1}}));
    EXPECT_EQ(to_mongo(field("a") > 1 && field("b") < 2),
              (Document{{"a", {{"$gt", 1}}}, {"b", {{"$lt", 2}}}}));
    // Two operators on one path: one operator document (FerretDB pushes that
    // down, not $and); the same operator twice, or a plain value, keeps $and.
    EXPECT_EQ(to_mongo(field("a") > 1 && field("a") < 2),
              (Document{{"a", {{"$gt", 1}, {"$lt", 2}}}}));
    EXPECT_EQ(to_mongo(field("a") > 1 && field("a") > 2),
              (Document{{"$and", {{{"a", {{"$gt", 1}}}}, {{"a", {{"$gt", 2}}}}}}}));
    EXPECT_EQ(to_mongo(field("a") == 1 && field("a") > 0),
              (Document{{"$and", {{{"a", 1}}, {{"a", {{"$gt", 0}}}}}}}));
    // A round trip through the Mongo form keeps the meaning.
    Document doc = {{"a", 1.5}, {"b", 0}};
    Filter g = (field("a") > 1 && field("a") < 2) || !field("b").exists();
    EXPECT_EQ(matches(parse_filter(to_mongo(g)), doc), matches(g, doc));
}

TEST(FilterJson, RegexOnHugeInputFailsCleanly) {
    Document doc = {{"blob", std::string(1 << 20, 'a')}};
    EXPECT_THROW(matches(parse_filter_text(R"({"blob": {"$regex": "(a|b)*c"}})"), doc), QueryError);
    EXPECT_THROW(matches(field("blob").regex(std::string(2000, 'a')), Document{{"blob", "a"}}),
                 QueryError);
    EXPECT_TRUE(
        matches(field("blob").contains("aaa"), doc));  // plain string operators have no limit
}

TEST(KeywordFilters, MongoEngineStyle) {
    Document doc = {
        {"rating", 4}, {"developer", {{"name", "Rovio Entertainment"}}}, {"tags", {"a", "b"}}};
    EXPECT_TRUE(matches(q("rating__gte", 4), doc));
    EXPECT_TRUE(matches(q("developer__name__icontains", "ROVIO"), doc));
    EXPECT_TRUE(matches(q("developer__name__not__startswith", "X"), doc));
    EXPECT_TRUE(matches(q("tags__size", 2), doc));
    EXPECT_TRUE(matches(q("tags", "a"), doc));
    EXPECT_FALSE(matches(q("rating__in", Document::array({1, 2})), doc));
    EXPECT_THROW(q("rating__in", 3), QueryError);
}

TEST(Sort, ParsesKeys) {
    EXPECT_EQ(parse_sort("a,-b, +c"),
              (std::vector<SortKey>{{"a", false}, {"b", true}, {"c", false}}));
    EXPECT_THROW(parse_sort("$a"), QueryError);
}

TEST(Values, MongoOrderAndCaseFolding) {
    std::vector<Document> ordered = {nullptr,           -1,    2.5, 3, "", "a", Document::object(),
                                     Document::array(), false, true};
    for (size_t i = 0; i + 1 < ordered.size(); ++i)
        EXPECT_LE(compare_values(ordered[i], ordered[i + 1]), 0)
            << ordered[i] << " vs " << ordered[i + 1];
    EXPECT_EQ(compare_values(5, 5.0), 0);
    EXPECT_EQ(fold_case("ÉCOLE Straße ΩМЖ"), "école straße ωмж");
    EXPECT_EQ(new_id().size(), 24u);
    EXPECT_NE(new_id(), new_id());
}

}  // namespace
}  // namespace famigo::docstore
