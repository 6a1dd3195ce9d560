// Acknowledged means durable: a writer process prints each id after its insert
// returns and is killed with SIGKILL at random moments, over and over; every id
// it printed must be stored afterwards, and SQLite's integrity check must pass.
// On FerretDB the same with the writer killed, and then with the server itself
// killed and restarted under the writer. On PostgreSQL the server (every one of
// its processes) is SIGKILLed under a writer and restarted, round after round:
// crash recovery must bring back every acknowledged insert.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <thread>

#include "backends.hpp"

namespace famigo::docstore {
namespace {

struct Writer {
    pid_t pid = -1;
    int out = -1;
    std::string seen;  // output read before the kill
};

Writer start_writer(const std::string& url, const std::string& prefix) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    Writer w;
    w.pid = fork();
    if (w.pid == 0) {  // exec at once: nothing else is safe after fork in a threaded process
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(FAMIGO_DOCSTORE_WRITER, FAMIGO_DOCSTORE_WRITER, url.c_str(), prefix.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    w.out = fds[0];
    return w;
}

// Waits until the writer acknowledged its first insert (start-up time varies a
// lot, with sanitizers most of all), so the kill that follows lands mid-stream.
void wait_first_ack(Writer& w) {
    char chunk[4096];
    while (w.seen.find('\n') == std::string::npos) {
        ssize_t n = read(w.out, chunk, sizeof chunk);
        if (n <= 0) return;  // it died: collect() finds out what it managed
        w.seen.append(chunk, size_t(n));
    }
}

// Reads every id the writer printed until its pipe closes.
void collect(Writer& w, std::set<std::string>& acked) {
    std::string buffer = std::move(w.seen);
    char chunk[4096];
    ssize_t n;
    while ((n = read(w.out, chunk, sizeof chunk)) > 0) buffer.append(chunk, size_t(n));
    close(w.out);
    size_t start = 0;
    for (size_t end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1)
        acked.insert(buffer.substr(start, end - start));
}

void kill_and_collect(Writer& w, std::set<std::string>& acked) {
    kill(w.pid, SIGKILL);
    int status = 0;
    waitpid(w.pid, &status, 0);
    collect(w, acked);
}

void expect_all_stored(Store& store, const std::set<std::string>& acked) {
    auto& c = store.collection("durable");
    std::set<std::string> stored;
    FindOptions only_ids;
    only_ids.projection.only = {"_id"};
    c.scan({}, only_ids, [&](Document&& doc) {
        stored.insert(doc["_id"].get<std::string>());
        return true;
    });
    size_t missing = 0;
    for (const auto& id : acked) missing += stored.count(id) == 0;
    EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged inserts";
}

TEST(Durability, SqliteSurvivesKilledWriters) {
    testing::TempDir dir;  // a real disk: fsync must matter
    std::string url = "sqlite://" + (dir.path() / "durable.db").string();
    std::mt19937 random(20240607);
    std::set<std::string> acked;
    const int rounds = 120;
    for (int round = 0; round < rounds; ++round) {
        Writer w = start_writer(url, "r" + std::to_string(round));
        wait_first_ack(w);
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<int>(0, 30000)(random)));
        kill_and_collect(w, acked);
    }
    EXPECT_GT(acked.size(), size_t(rounds)) << "the writers barely wrote: is the helper running?";
    StoreOptions options;
    options.url = url;
    auto store = open_store(options);
    expect_all_stored(*store, acked);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "durable.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    RecordProperty("acknowledged_inserts", int(acked.size()));
}

TEST(SqliteProcesses, TwoProcessesIncrementOneCounterAtomically) {
    testing::TempDir dir(true);
    std::string url = "sqlite://" + (dir.path() / "shared.db").string();
    StoreOptions options;
    options.url = url;
    auto store = open_store(options);  // creates the file before the writers race
    store->collection("durable").insert({{"_id", "counter"}, {"n", 0}});
    Writer a = start_writer(url, "--inc=3000"), b = start_writer(url, "--inc=3000");
    for (Writer* w : {&a, &b}) {
        int status = 0;
        waitpid(w->pid, &status, 0);
        close(w->out);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << "a writer failed (busy timeout?)";
    }
    EXPECT_EQ(store->collection("durable").get("counter")->at("n"), 6000);
}

class MongoDurability : public ::testing::Test {
  protected:
    void SetUp() override { FAMIGO_REQUIRE_BACKEND(testing::MongoBackend); }
    testing::MongoBackend backend;
};

TEST_F(MongoDurability, SurvivesKilledWriters) {
    std::string url = backend.url();
    std::mt19937 random(7);
    std::set<std::string> acked;
    for (int round = 0; round < 100; ++round) {
        Writer w = start_writer(url, "r" + std::to_string(round));
        wait_first_ack(w);
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40000)(random)));
        kill_and_collect(w, acked);
    }
    EXPECT_GT(acked.size(), 100u);
    auto store = backend.open();
    expect_all_stored(*store, acked);
}

TEST_F(MongoDurability, SurvivesAKilledServer) {
    if (!testing::on_ferretdb())
        GTEST_SKIP() << "the server at FAMIGO_MONGO_URL is not ours to kill";
    std::string url = backend.url();
    std::mt19937 random(11);
    std::set<std::string> acked;
    for (int round = 0; round < 10; ++round) {
        Writer w = start_writer(url, "s" + std::to_string(round));
        wait_first_ack(w);
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 200)(random)));
        ASSERT_TRUE(testing::restart_ferretdb());  // SIGKILL under the writer, then start again
        kill_and_collect(w, acked);
    }
    EXPECT_GT(acked.size(), 10u);
    auto store = backend.open();
    expect_all_stored(*store, acked);
}

class PostgresDurability : public ::testing::Test {
  protected:
    void SetUp() override {
        FAMIGO_REQUIRE_BACKEND(testing::PostgresBackend);
        url = cluster.start();
        if (url.empty()) GTEST_FAIL() << cluster.why();
    }
    testing::PgCluster cluster;  // its own: this test kills it
    std::string url;
};

TEST_F(PostgresDurability, SurvivesAKilledServer) {
    std::mt19937 random(17);
    std::set<std::string> acked;
    auto started = std::chrono::steady_clock::now();
    const int rounds = 8;
    for (int round = 0; round < rounds; ++round) {
        Writer w = start_writer(url, "s" + std::to_string(round));
        wait_first_ack(w);
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 300)(random)));
        ASSERT_TRUE(cluster.kill()) << cluster.why();  // every server process, at once
        ASSERT_TRUE(cluster.restart()) << cluster.why();
        kill_and_collect(w, acked);
    }
    EXPECT_GT(acked.size(), size_t(rounds));
    StoreOptions options;
    options.url = url;
    auto store = open_store(options);
    expect_all_stored(*store, acked);
    auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_LT(seconds, 60.0) << "the durability test must stay bounded";
    RecordProperty("acknowledged_inserts", int(acked.size()));
}

TEST_F(PostgresDurability, TwoProcessesIncrementOneCounterAtomically) {
    StoreOptions options;
    options.url = url;
    auto store = open_store(options);
    store->collection("durable").insert({{"_id", "counter"}, {"n", 0}});
    Writer a = start_writer(url, "--inc=1000"), b = start_writer(url, "--inc=1000");
    for (Writer* w : {&a, &b}) {
        int status = 0;
        waitpid(w->pid, &status, 0);
        close(w->out);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed";
    }
    EXPECT_EQ(store->collection("durable").get("counter")->at("n"), 2000);
}

}  // namespace
}  // namespace famigo::docstore
