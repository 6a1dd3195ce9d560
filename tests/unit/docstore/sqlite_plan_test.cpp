// The SQLite backend answers indexed filters from its expression indexes: the
// query plan of an indexed equality, range or sort never scans the table.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "backends.hpp"
#include "docstore/sqlite/sql_plan.hpp"

namespace famigo::docstore {
namespace {

std::string explain(const std::filesystem::path& file, const Filter& filter,
                    const std::vector<SortKey>& sort, const std::set<std::string>& indexed) {
    auto plan = sqlite::plan_query(filter, sort, indexed);
    std::string sql = "EXPLAIN QUERY PLAN SELECT doc FROM \"c_apps\" WHERE " + plan.where;
    if (plan.sorted_in_sql && !plan.order_by.empty()) sql += " ORDER BY " + plan.order_by;
    sql += " LIMIT 20";
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    // The backend's matcher function; its plan is what matters here, not its answers.
    sqlite3_create_function(
        db, "famigo_match", 2, SQLITE_UTF8, nullptr,
        [](sqlite3_context* context, int, sqlite3_value**) { sqlite3_result_int(context, 1); },
        nullptr, nullptr);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    int at = 1;
    for (const auto& v : plan.parameters) {
        if (v.is_string())
            sqlite3_bind_text(stmt, at++, v.get<std::string>().c_str(), -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_double(stmt, at++, v.get<double>());
    }
    std::string out;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        out += std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))) + "\n";
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

TEST(SqlitePlan, IndexedFiltersDoNotScanTheTable) {
    testing::SqliteBackend backend;
    auto store = backend.open();
    auto& apps = store->collection("apps");
    std::vector<Document> docs;
    for (int i = 0; i < 2000; ++i)
        docs.push_back({{"category", "c" + std::to_string(i % 20)},
                        {"rating", i % 50 / 10.0},
                        {"name", "app" + std::to_string(i)}});
    apps.insert_many(docs);
    apps.create_index({"", parse_sort("category,-rating"), false});
    apps.create_index({"", parse_sort("name"), true});
    std::set<std::string> indexed = {"category", "rating", "name"};
    auto file = backend.dir.path() / "store.db";
    {  // let the planner know the table's shape
        sqlite3* db = nullptr;
        sqlite3_open(file.c_str(), &db);
        sqlite3_exec(db, "ANALYZE", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }

    auto plan = explain(file, field("category") == "c3" && field("rating") >= 2.5,
                        parse_sort("-rating"), indexed);
    EXPECT_NE(plan.find("USING INDEX x_apps__category_1_rating_-1"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << "the index gives the order too:\n"
                                                           << plan;

    plan = explain(file, field("name") == "app7", {}, indexed);
    EXPECT_NE(plan.find("USING INDEX x_apps__name_1"), std::string::npos) << plan;
    plan = explain(file, field("_id") == "x", {}, indexed);
    EXPECT_NE(plan.find("USING INDEX sqlite_autoindex_c_apps_1"), std::string::npos) << plan;
    // Not indexed: a scan, with the matcher doing the work.
    plan = explain(file, field("name").icontains("x"), {}, indexed);
    EXPECT_NE(plan.find("SCAN"), std::string::npos) << plan;

    // And the store gets the same answers through those plans.
    FindOptions options;
    options.sort = parse_sort("-rating");
    options.limit = 3;
    auto top = apps.find(field("category") == "c3" && field("rating") >= 2.5, options);
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0]["rating"], 4.3);  // the best of category c3 (i % 20 == 3)
    EXPECT_EQ(apps.count(field("category") == "c3"), 100);
}

TEST(SqlitePlan, IndexedPathsRefuseLists) {
    testing::SqliteBackend backend;
    auto store = backend.open();
    auto& c = store->collection("c");
    c.create_index({"", parse_sort("tags"), false});
    EXPECT_THROW(c.insert({{"tags", {"a", "b"}}}), QueryError);
    auto id = c.insert({{"tags", "a"}});
    EXPECT_THROW(c.update(field("_id") == id, Update().push("tags", "b")), QueryError);
    c.insert({{"list", {1, 2}}});
    EXPECT_THROW(c.create_index({"", parse_sort("list"), false}), QueryError);
    EXPECT_THROW(c.create_index({"", parse_sort("a.0"), false}), QueryError);
}

}  // namespace
}  // namespace famigo::docstore
