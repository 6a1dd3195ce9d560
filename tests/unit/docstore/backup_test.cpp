// Backup and restore on both backends: a restore into an empty store brings
// back every document and index; a damaged or foreign file is refused before
// anything changes; a non-empty store is only replaced with force. SQLite's
// backup is an online snapshot taken while a writer keeps going.
#include <fstream>
#include <thread>

#include "backends.hpp"
#include "docstore/backup_drill.hpp"

namespace famigo::docstore {
namespace {

template <typename Backend>
class BackupContract : public ::testing::Test {
  protected:
    void SetUp() override { FAMIGO_REQUIRE_BACKEND(Backend); }

    void fill(Store& store) {
        auto& apps = store.collection("apps");
        apps.create_index({"", parse_sort("category,-rating"), false});
        apps.create_index({"", parse_sort("slug"), true});
        std::vector<Document> docs;
        for (int i = 0; i < 3000; ++i)
            docs.push_back({{"slug", "app-" + std::to_string(i)},
                            {"category", "c" + std::to_string(i % 7)},
                            {"rating", i % 50 / 10.0},
                            {"name", "Ünïcødé 🎮 " + std::to_string(i)},
                            {"tags", {"a", i}},
                            {"dev", {{"name", "d"}, {"n", i}}}});
        apps.insert_many(std::move(docs));
        store.collection("families").insert({{"_id", "f1"}, {"name", "The Smiths"}});
        store.collection("empty_one");
    }

    static std::map<std::string, std::vector<Document>> everything(Store& store) {
        std::map<std::string, std::vector<Document>> out;
        FindOptions by_id;
        by_id.sort = {{"_id", false}};
        for (const auto& name : store.collection_names())
            out[name] = store.collection(name).find({}, by_id);
        return out;
    }

    Backend source_backend, target_backend;
    testing::TempDir files;
};

TYPED_TEST_SUITE(BackupContract, testing::Backends, testing::BackendNames);

TYPED_TEST(BackupContract, RoundTripIntoAnEmptyStore) {
    auto source = this->source_backend.open();
    this->fill(*source);
    auto file = this->files.path() / "backup.famigo";
    std::uint64_t last_done = 0, last_total = 0;
    source->backup(file, [&](std::uint64_t done, std::uint64_t total, std::string_view) {
        last_done = done;
        last_total = total;
    });
    EXPECT_TRUE(std::filesystem::exists(file.string() + ".sha256"));
    EXPECT_GT(last_done, 0u);
    EXPECT_EQ(last_done, last_total);

    auto target = this->target_backend.open();
    target->restore(file, {}, false);
    EXPECT_EQ(this->everything(*target), this->everything(*source));
    EXPECT_EQ(target->collection("apps").indexes(), source->collection("apps").indexes());
    EXPECT_EQ(target->collection("apps").indexes().size(), 2u);
    EXPECT_THROW(target->collection("apps").insert({{"slug", "app-5"}}), DuplicateKey);
    FindOptions top;
    top.sort = parse_sort("-rating");
    top.limit = 1;
    EXPECT_EQ(target->collection("apps").find(field("category") == "c3", top).at(0)["rating"], 4.9);

    // Not empty any more: refused, unless forced.
    EXPECT_THROW(target->restore(file, {}, false), StoreError);
    target->collection("families").insert({{"_id", "f2"}});
    target->restore(file, {}, true);
    EXPECT_FALSE(target->collection("families").get("f2"));
    EXPECT_EQ(target->collection("apps").count(), 3000);
}

TYPED_TEST(BackupContract, RefusesDamagedBackups) {
    auto source = this->source_backend.open();
    this->fill(*source);
    auto file = this->files.path() / "backup.famigo";
    source->backup(file, {});
    auto target = this->target_backend.open();
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(std::streamoff(std::filesystem::file_size(file) / 2));
        f.put('\x7f');
    }
    try {
        target->restore(file, {}, false);
        FAIL() << "a damaged backup was restored";
    } catch (const Unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    }
    std::filesystem::remove(file.string() + ".sha256");
    EXPECT_THROW(target->restore(file, {}, false), Unavailable);
    EXPECT_EQ(target->collection("apps").count(), 0);
}

// The famigo.backup task's work: a backup, its restore drill (counts and
// indexes of every collection), the newest `keep` kept; then a damaged or
// truncated file fails the drill.
TYPED_TEST(BackupContract, ScheduledBackupPassesItsDrillAndKeepsTheNewest) {
    auto source = this->source_backend.open();
    this->fill(*source);
    // keep 1: two backups (FerretDB makes each take seconds), the first pruned.
    BackupPolicy policy{this->files.path() / "backups", 1};
    DrillReport first = backup_with_drill(*source, policy);
    EXPECT_EQ(first.counts.at("apps"), 3000);
    EXPECT_EQ(first.counts.at("families"), 1);
    EXPECT_EQ(first.documents, 3001);
    EXPECT_EQ(first.removed, 0);
    EXPECT_TRUE(std::filesystem::exists(first.file.string() + ".drill.json"));
    source->collection("families").insert({{"_id", "f2"}, {"name", "The Joneses"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    DrillReport second = backup_with_drill(*source, policy);
    EXPECT_EQ(second.counts.at("families"), 2);
    EXPECT_EQ(second.removed, 1);
    EXPECT_FALSE(std::filesystem::exists(first.file));
    EXPECT_FALSE(std::filesystem::exists(first.file.string() + ".sha256"));
    EXPECT_FALSE(std::filesystem::exists(first.file.string() + ".drill.json"));
    auto last = last_verified_backup(policy.dir);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->file, second.file);
    EXPECT_EQ(last->documents, 3002);
    // No scratch store is left behind.
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(policy.dir))
        entries += bool(e.path().filename().string().starts_with("."));
    EXPECT_EQ(entries, 0);

    // One byte changed: the checksum fails the drill.
    {
        std::fstream f(second.file, std::ios::in | std::ios::out | std::ios::binary);
        auto middle = std::streamoff(std::filesystem::file_size(second.file) / 2);
        f.seekg(middle);
        char byte = char(f.get());
        f.seekp(middle);
        f.put(char(byte ^ 0x5a));
    }
    EXPECT_THROW(restore_drill(second.file, this->files.path() / "scratch"), DrillFailed);
    EXPECT_FALSE(std::filesystem::exists(this->files.path() / "scratch"));
    EXPECT_FALSE(last_verified_backup(this->files.path() / "nothing-here"));
}

TEST(SqliteBackup, IsAConsistentOnlineSnapshot) {
    testing::SqliteBackend backend;
    auto store = backend.open();
    auto& c = store->collection("busy");
    std::vector<Document> seed(20000, Document{{"x", std::string(200, 'x')}});
    c.insert_many(std::move(seed));
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        while (!stop) {
            c.insert_many(
                {{{"batch", written.load()}}, {{"batch", written.load()}}});  // pairs, atomically
            ++written;
        }
    });
    auto file = backend.dir.path() / "snapshot.db";
    store->backup(file, {});
    stop = true;
    writer.join();
    EXPECT_GT(written.load(), 0);
    testing::SqliteBackend other;
    auto restored = other.open();
    restored->restore(file, {}, false);
    auto n = restored->collection("busy").count();
    EXPECT_GE(n, 20000);
    EXPECT_EQ((n - 20000) % 2, 0) << "a snapshot never holds half of a transaction";
}

}  // namespace
}  // namespace famigo::docstore
