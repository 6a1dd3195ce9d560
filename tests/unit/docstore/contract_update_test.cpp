// Contract suite, part 2: atomic updates, upsert, find-and-modify, inserts,
// deletes, duplicate keys, large documents and concurrent increments.
#include <latch>
#include <thread>

#include "backends.hpp"

namespace famigo::docstore {
namespace {

using testing::BackendNames;
using testing::Backends;

template <typename Backend>
class UpdateContract : public ::testing::Test {
  protected:
    void SetUp() override {
        FAMIGO_REQUIRE_BACKEND(Backend);
        store = backend.open();
        c = &store->collection("things");
        c->insert({{"_id", "t1"},
                   {"n", 1},
                   {"tags", {"a", "b", "a"}},
                   {"sub", {{"x", 1}}},
                   {"name", "one"}});
    }
    Document t1() { return *c->get("t1"); }

    Backend backend;
    std::unique_ptr<Store> store;
    Collection* c = nullptr;
};

TYPED_TEST_SUITE(UpdateContract, Backends, BackendNames);

TYPED_TEST(UpdateContract, SetUnsetIncDec) {
    auto r = this->c->update(field("_id") == "t1",
                             Update().set("name", "uno").set("sub.y", "new").inc("n", 5));
    EXPECT_EQ(r.matched, 1);
    EXPECT_EQ(r.modified, 1);
    auto doc = this->t1();
    EXPECT_EQ(doc["name"], "uno");
    EXPECT_EQ(doc["sub"], (Document{{"x", 1}, {"y", "new"}}));
    EXPECT_EQ(doc["n"], 6);
    this->c->update(field("_id") == "t1", Update().unset("sub.x").dec("n", 2).inc("fresh", 1.5));
    doc = this->t1();
    EXPECT_EQ(doc["sub"], (Document{{"y", "new"}}));
    EXPECT_EQ(doc["n"], 4);
    EXPECT_EQ(doc["fresh"], 1.5);
    EXPECT_THROW(this->c->update(field("_id") == "t1", Update().inc("name", 1)), QueryError);
    EXPECT_EQ(this->t1()["name"], "uno");  // a failed update changes nothing
}

TYPED_TEST(UpdateContract, ListOperators) {
    auto update = [&](const Update& u) {
        this->c->update(field("_id") == "t1", u);
        return this->t1()["tags"];
    };
    EXPECT_EQ(update(Update().push("tags", "c")), (Document{"a", "b", "a", "c"}));
    EXPECT_EQ(update(Update().push_all("tags", {"d", "e"})),
              (Document{"a", "b", "a", "c", "d", "e"}));
    EXPECT_EQ(update(Update().pull("tags", "a")), (Document{"b", "c", "d", "e"}));
    EXPECT_EQ(update(Update().pull_all("tags", {"d", "e"})), (Document{"b", "c"}));
    EXPECT_EQ(update(Update().add_to_set("tags", "b")), (Document{"b", "c"}));
    EXPECT_EQ(update(Update().add_to_set("tags", "z")), (Document{"b", "c", "z"}));
    EXPECT_EQ(update(Update().add_to_set_all("tags", {"c", "y"})), (Document{"b", "c", "z", "y"}));
    EXPECT_EQ(update(Update().pop("tags")), (Document{"b", "c", "z"}));
    EXPECT_EQ(update(Update().pop("tags", false)), (Document{"c", "z"}));
    this->c->update(field("_id") == "t1",
                    Update().push("docs", Document{{"k", 1}}).push("nums", 3));
    this->c->update(field("_id") == "t1", Update().pull("docs", Document{{"k", 1}}));
    EXPECT_EQ(this->t1()["docs"], Document::array());
    EXPECT_EQ(this->t1()["nums"], Document({3}));
}

TYPED_TEST(UpdateContract, MultiAndUpsert) {
    this->c->insert_many({{{"_id", "t2"}, {"n", 2}}, {{"_id", "t3"}, {"n", 3}}});
    auto all = this->c->update(field("n") >= 2, Update().set("big", true));
    EXPECT_EQ(all.matched, 2);
    auto one = this->c->update(field("n") >= 1, Update().inc("hits", 1), {.multi = false});
    EXPECT_EQ(one.matched, 1);
    EXPECT_EQ(this->c->count(field("hits") == 1), 1);
    auto none = this->c->update(field("n") == 99, Update().set("x", 1));
    EXPECT_EQ(none.matched, 0);
    EXPECT_FALSE(none.upserted_id);
    auto up = this->c->update(field("slug") == "new" && field("n") > 5, Update().inc("views", 1),
                              {.upsert = true});
    ASSERT_TRUE(up.upserted_id);
    auto created = *this->c->get(*up.upserted_id);
    EXPECT_EQ(created["slug"], "new");
    EXPECT_EQ(created["views"], 1);
    EXPECT_FALSE(created.contains("n"));
    auto again =
        this->c->update(field("slug") == "new", Update().inc("views", 1), {.upsert = true});
    EXPECT_FALSE(again.upserted_id);
    EXPECT_EQ(this->c->get(*up.upserted_id)->at("views"), 2);
}

TYPED_TEST(UpdateContract, FindAndModify) {
    this->c->insert_many({{{"_id", "j1"}, {"state", "new"}, {"pri", 1}},
                          {{"_id", "j2"}, {"state", "new"}, {"pri", 5}}});
    FindAndModifyOptions options;
    options.sort = parse_sort("-pri");
    options.return_new = false;
    auto before =
        this->c->find_and_modify(field("state") == "new", Update().set("state", "taken"), options);
    ASSERT_TRUE(before);
    EXPECT_EQ((*before)["_id"], "j2");
    EXPECT_EQ((*before)["state"], "new");
    options.return_new = true;
    auto after =
        this->c->find_and_modify(field("state") == "new", Update().set("state", "taken"), options);
    EXPECT_EQ((*after)["_id"], "j1");
    EXPECT_EQ((*after)["state"], "taken");
    EXPECT_FALSE(
        this->c->find_and_modify(field("state") == "new", Update().set("state", "taken"), options));
    options.upsert = true;
    auto made =
        this->c->find_and_modify(field("state") == "queued", Update().set("pri", 9), options);
    ASSERT_TRUE(made);
    EXPECT_EQ((*made)["state"], "queued");
    EXPECT_EQ((*made)["pri"], 9);
    EXPECT_TRUE((*made)["_id"].is_string());
}

TYPED_TEST(UpdateContract, InsertsReplaceRemove) {
    auto id = this->c->insert({{"n", 7}});
    EXPECT_EQ(id.size(), 24u);
    EXPECT_EQ(this->c->get(id)->at("n"), 7);
    EXPECT_THROW(this->c->insert({{"_id", "t1"}}), DuplicateKey);
    EXPECT_THROW(this->c->insert({{"$set", 1}}), QueryError);
    EXPECT_THROW(this->c->insert({{"a.b", 1}}), QueryError);
    EXPECT_TRUE(this->c->replace(id, {{"m", 1}}));
    EXPECT_EQ(*this->c->get(id), (Document{{"_id", id}, {"m", 1}}));
    EXPECT_FALSE(this->c->replace("nobody", {{"m", 1}}));
    EXPECT_EQ(this->c->remove(field("m") == 1), 1);
    EXPECT_EQ(this->c->remove(field("m") == 1), 0);
    EXPECT_EQ(this->c->count(), 1);
    this->c->drop();
    EXPECT_EQ(this->c->count(), 0);
}

TYPED_TEST(UpdateContract, UniqueIndexRefusesDuplicates) {
    this->c->create_index({"", parse_sort("email"), true});
    this->c->create_index({"", parse_sort("email"), true});  // idempotent
    this->c->insert({{"email", "a@x.org"}});
    try {
        this->c->insert({{"email", "a@x.org"}});
        FAIL() << "no DuplicateKey";
    } catch (const DuplicateKey& e) {
        // FerretDB gap: its E11000 message names the collection, not the index.
        if (std::is_same_v<TypeParam, testing::SqliteBackend> || !testing::on_ferretdb())
            EXPECT_EQ(e.index(), "email_1") << e.what();
    }
    auto b = this->c->insert({{"email", "b@x.org"}});
    EXPECT_THROW(this->c->update(field("_id") == b, Update().set("email", "a@x.org")),
                 DuplicateKey);
    EXPECT_EQ(this->c->get(b)->at("email"), "b@x.org");
    // As in MongoDB, a missing value counts as null in a unique index: t1 and
    // the two others all lack a name, so a unique index on it cannot be made.
    // FerretDB gap: its unique indexes skip missing values (they act sparse).
    if (std::is_same_v<TypeParam, testing::SqliteBackend> || !testing::on_ferretdb())
        EXPECT_THROW(this->c->create_index({"", parse_sort("name"), true}), DuplicateKey);
}

TYPED_TEST(UpdateContract, LargeDocuments) {
    std::string big(2 * 1024 * 1024, 'x');
    Document list = Document::array();
    for (int i = 0; i < 5000; ++i) list.push_back({{"i", i}, {"s", "item " + std::to_string(i)}});
    this->c->insert({{"_id", "big"}, {"blob", big}, {"list", list}});
    auto doc = this->c->get("big");
    ASSERT_TRUE(doc);
    EXPECT_EQ((*doc)["blob"].template get<std::string>().size(), big.size());
    EXPECT_EQ((*doc)["list"].size(), 5000u);
    EXPECT_EQ(this->c->count(field("list.i") == 4999), 1);
}

TYPED_TEST(UpdateContract, ConcurrentIncrementsAreAtomic) {
    this->c->insert({{"_id", "counter"}, {"n", 0}});
    // Both threads start together, so their updates race each other from
    // the first: 2 x 1,000 is enough for a store without isolation to lose
    // increments, and 2 x 10,000 took 76 s on FerretDB.
    const int per_thread = 1000;
    std::latch start(2);
    auto work = [&] {
        start.arrive_and_wait();
        for (int i = 0; i < per_thread; ++i)
            this->c->update(field("_id") == "counter", Update().inc("n", 1));
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    auto n = this->c->get("counter")->at("n").template get<int>();
    if (std::is_same_v<TypeParam, testing::MongoBackend> && testing::on_ferretdb()) {
        // FerretDB gap (v1.24, SQLite handler): an update reads, changes and
        // writes the document without isolation, so concurrent $inc lose
        // increments. MongoDB applies $inc atomically; run this suite with
        // FAMIGO_MONGO_URL=mongodb://... to check that against a real server.
        EXPECT_LE(n, 2 * per_thread);
        EXPECT_GE(n, per_thread);
        this->RecordProperty("ferretdb_lost_increments", 2 * per_thread - n);
    } else {
        EXPECT_EQ(n, 2 * per_thread);
    }
}

}  // namespace
}  // namespace famigo::docstore
