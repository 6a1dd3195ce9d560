// famigo store copy's engine: a store copied SQLite -> PostgreSQL -> SQLite
// comes back with the same content checksum (every collection, index and
// document), counts and progress reported on the way; a non-empty destination
// is refused unless forced.
#include "docstore/copy.hpp"

#include "backends.hpp"
#include "docstore/checksum.hpp"

namespace famigo::docstore {
namespace {

void fill_for_copy(Store& store) {
    auto& apps = store.collection("apps");
    apps.create_index({"", parse_sort("category,-rating"), false});
    apps.create_index({"", parse_sort("slug"), true});
    std::vector<Document> docs;
    for (int i = 0; i < 2500; ++i)
        docs.push_back({{"slug", "app-" + std::to_string(i)},
                        {"category", "c" + std::to_string(i % 7)},
                        {"rating", i % 50 / 10.0},
                        {"count", i * 1000003LL},
                        {"name", "Ünïcødé 🎮 \"quoted\" " + std::to_string(i)},
                        {"tags", {"a", i, nullptr, true}},
                        {"dev", {{"name", "d"}, {"n", i}, {"ratio", 0.1 * i}}}});
    apps.insert_many(std::move(docs));
    store.collection("families").insert({{"_id", "f1"}, {"name", "The Smiths"}, {"size", 4.0}});
    store.collection("empty_one");
}

TEST(StoreCopy, SqliteToPostgresToSqliteKeepsEverything) {
    FAMIGO_REQUIRE_BACKEND(testing::PostgresBackend);
    testing::SqliteBackend sqlite;
    testing::PostgresBackend postgres;
    auto original = sqlite.open("original.db");
    fill_for_copy(*original);
    std::string before = store_checksum(*original);

    auto pg = postgres.open();
    std::uint64_t last_done = 0, last_total = 0;
    auto report = copy_store(
        *original, *pg,
        [&](std::uint64_t done, std::uint64_t total, std::string_view) {
            last_done = done;
            last_total = total;
        },
        false);
    EXPECT_EQ(report.collections, 3u);
    EXPECT_EQ(report.documents, 2501u);
    EXPECT_EQ(report.indexes, 2u);
    EXPECT_EQ(report.checksum, before);
    EXPECT_EQ(last_done, 2501u);
    EXPECT_EQ(last_total, 2501u);
    EXPECT_EQ(store_checksum(*pg), before);
    EXPECT_EQ(pg->collection("apps").indexes(), original->collection("apps").indexes());
    // The copy's unique index works there.
    EXPECT_THROW(pg->collection("apps").insert({{"slug", "app-7"}}), DuplicateKey);

    auto back = sqlite.open("back.db");
    copy_store(*pg, *back, {}, false);
    EXPECT_EQ(store_checksum(*back), before);
    FindOptions top;
    top.sort = parse_sort("-rating,slug");
    top.limit = 3;
    EXPECT_EQ(back->collection("apps").find(field("category") == "c3", top),
              original->collection("apps").find(field("category") == "c3", top));

    // A destination with documents is refused; --force replaces its collections.
    EXPECT_THROW(copy_store(*original, *back, {}, false), StoreError);
    back->collection("families").insert({{"_id", "f2"}, {"name", "extra"}});
    EXPECT_NE(store_checksum(*back), before);
    copy_store(*original, *back, {}, true);
    EXPECT_EQ(store_checksum(*back), before);
}

}  // namespace
}  // namespace famigo::docstore
