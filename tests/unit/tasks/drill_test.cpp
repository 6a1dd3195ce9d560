// Reliability drills of the task queue, on each backend, bounded in time
// (issue 15): worker processes (fork()ed children running a WorkerPool, as
// `famigo worker` does) SIGKILLed every 3 s while 10,000 tasks write to a
// ledger; a task that kills its worker each time; an ETA beyond the lease;
// Redis SIGKILLed and restarted under a producer; a task tied to a store
// write that fails. Label `drill` (also `unit`): ctest -L drill runs them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "docstore/store.hpp"
#include "tasks/after_commit.hpp"
#include "test_backends.hpp"

namespace famigo::tasks {
namespace {

using namespace std::chrono_literals;

// One line per write(2) on an O_APPEND file: lines of concurrent writers
// (threads and processes) never interleave.
void append_line(const std::string& path, const std::string& line) {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return;
    std::string text = line + "\n";
    [[maybe_unused]] auto n = ::write(fd, text.data(), text.size());
    ::close(fd);
}

std::vector<std::vector<std::string>> read_ledger(const std::string& path) {
    std::vector<std::vector<std::string>> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::vector<std::string> fields;
        for (std::string w; words >> w;) fields.push_back(w);
        if (!fields.empty()) out.push_back(std::move(fields));
    }
    return out;
}

// What a drill worker process registers: drill.record writes "run ID PID"
// to the ledger, then makes its effect once per key (an O_EXCL marker file);
// drill.crash kills its own process.
void register_drill_tasks(Registry& registry, const std::string& dir, milliseconds work) {
    registry.add("drill.record", [dir, work](const Json& args, const Json&) -> Json {
        std::string id = args.at(0).get<std::string>();
        std::string pid = std::to_string(getpid());
        append_line(dir + "/ledger", "run " + id + " " + pid);
        std::this_thread::sleep_for(work);
        // The effect, guarded by the task's key: a marker file made only if
        // absent, so a run again after a kill adds no second effect.
        int fd = ::open((dir + "/effects/" + id).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) ::close(fd);
        return nullptr;
    });
    registry.add("drill.crash", [dir](const Json&, const Json&) -> Json {
        append_line(dir + "/ledger", "crash " + std::to_string(getpid()));
        ::kill(getpid(), SIGKILL);
        std::this_thread::sleep_for(10s);
        return nullptr;
    });
    register_builtin_tasks(registry);
}

// A worker process: a fresh broker connection and a pool, until killed.
template <class Backend>
pid_t start_worker(const Backend& backend, const std::string& dir, WorkerOptions options,
                   milliseconds work) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    try {
        BrokerSettings s;
        s.poll_interval = 20ms;
        auto broker = make_broker(backend.url(), s);
        Registry registry;
        register_drill_tasks(registry, dir, work);
        WorkerPool pool(*broker, registry, options);
        pool.start();
        for (;;) std::this_thread::sleep_for(1s);
    } catch (...) {
        _exit(3);
    }
}

void kill_and_reap(pid_t pid) {
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
}

template <class Backend>
class TaskDrill : public BackendTest<Backend> {
  protected:
    void SetUp() override {
        BackendTest<Backend>::SetUp();
        if (this->IsSkipped() || this->HasFatalFailure()) return;
        std::string pattern = std::string(FAMIGO_TASKS_SCRATCH) + "/famigo-drill-XXXXXX";
        ASSERT_TRUE(mkdtemp(pattern.data()));
        dir_ = pattern;
        std::filesystem::create_directories(dir_ + "/effects");
        options_.concurrency = 4;
        options_.lease = 1000ms;
        options_.retry_base = 20ms;
        options_.retry_max = 200ms;
        options_.fetch_wait = 100ms;
    }
    void TearDown() override {
        for (pid_t pid : workers_) kill_and_reap(pid);
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }
    std::int64_t unfinished() {
        std::int64_t n = 0;
        for (const auto& s : this->broker_->stats()) n += s.ready + s.scheduled + s.running;
        return n;
    }

    std::string dir_;
    WorkerOptions options_;
    std::vector<pid_t> workers_;
};

TYPED_TEST_SUITE(TaskDrill, Backends, BackendName);

// 10,000 tasks, worker processes of four threads, one SIGKILLed every 3 s
// and started again: every task runs, a task runs more than once only
// when a killed process ran it, and its effect (guarded by its key) is
// visible exactly once. Producers re-sending a task with the same
// idempotency key make no second task.
TYPED_TEST(TaskDrill, SigkillEveryThreeSecondsLosesNothing) {
    constexpr int kTasks = 10000;
    auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < kTasks; ++i) {
        EnqueueOptions o;
        o.idempotency_key = "drill-" + std::to_string(i);
        o.max_retries = 20;
        std::string id = this->broker_->enqueue(
            "drill.record", Json::array({"t" + std::to_string(i)}), Json::object(), o);
        if (i % 20 == 0) {  // a producer that retries its send
            ASSERT_EQ(this->broker_->enqueue("drill.record", Json::array({"t" + std::to_string(i)}),
                                             Json::object(), o),
                      id);
        }
    }
    auto enqueued = std::chrono::steady_clock::now();
    // SQLite: one worker process, as its processes contend for the file's
    // write lock (SQLite's busy wait sleeps milliseconds per conflict).
    // Task bodies long enough that kills land mid-task, short enough that
    // SQLite's slower settling keeps the drill near a minute.
    const bool sqlite = std::string(TypeParam::kName) == "sqlite";
    const int processes = sqlite ? 1 : 2;
    const milliseconds work = sqlite ? 2ms : 10ms;
    for (int i = 0; i < processes; ++i)
        this->workers_.push_back(start_worker(this->backend_, this->dir_, this->options_, work));
    std::set<std::string> killed;
    int turn = 0;
    auto deadline = std::chrono::steady_clock::now() + 100s;
    auto next_kill = std::chrono::steady_clock::now() + 3s;
    while (this->unfinished() > 0 && std::chrono::steady_clock::now() < deadline) {
        // Checked once a second: the stats scan of 10,000 rows costs CPU
        // the workers need.
        std::this_thread::sleep_until(std::min(next_kill, std::chrono::steady_clock::now() + 1s));
        if (std::chrono::steady_clock::now() < next_kill) continue;
        std::cout
            << "[drill] " << TypeParam::kName << " at "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - enqueued).count()
            << " s: " << this->unfinished() << " unfinished, killing a worker" << std::endl;
        pid_t victim = this->workers_[std::size_t(turn)];
        kill_and_reap(victim);
        killed.insert(std::to_string(victim));
        this->workers_[std::size_t(turn)] =
            start_worker(this->backend_, this->dir_, this->options_, work);
        turn = (turn + 1) % processes;
        next_kill += 3s;
    }
    auto finished = std::chrono::steady_clock::now();
    ASSERT_EQ(this->unfinished(), 0) << "not finished within 100 s";
    EXPECT_TRUE(this->broker_->dead(10).empty());
    EXPECT_GE(killed.size(), 2u) << "the drill must kill workers while they work";

    std::map<std::string, std::vector<std::string>> runs;  // task -> pids that ran it
    for (const auto& f : read_ledger(this->dir_ + "/ledger"))
        if (f.size() == 3 && f[0] == "run") runs[f[1]].push_back(f[2]);
    EXPECT_EQ(runs.size(), std::size_t(kTasks)) << "every task recorded";
    std::size_t effects = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator(this->dir_ + "/effects"))
        ++effects;
    EXPECT_EQ(effects, std::size_t(kTasks)) << "every effect visible, once";
    std::size_t extra = 0;
    for (const auto& [task, pids] : runs) {
        std::size_t by_killed = 0;
        for (const auto& pid : pids) by_killed += killed.count(pid);
        // Every run but one was cut short by a kill: a task sent twice with
        // its idempotency key would show here as a run by a live worker.
        EXPECT_GE(by_killed + 1, pids.size()) << task << " ran again without a kill";
        extra += pids.size() - 1;
    }
    EXPECT_LE(extra, killed.size() * this->options_.concurrency)
        << "at most the running tasks of each killed worker run again";
    std::cout << "[drill] " << TypeParam::kName << ": " << kTasks << " tasks enqueued in "
              << std::chrono::duration<double>(enqueued - started).count() << " s, run in "
              << std::chrono::duration<double>(finished - enqueued).count() << " s with "
              << killed.size() << " SIGKILLs; " << extra << " extra runs, all by killed workers\n";
}

// A task that kills its worker process every time: after max_retries + 1
// lost deliveries it is dead-lettered unrun, while other tasks keep flowing
// through the restarted workers.
TYPED_TEST(TaskDrill, TaskThatKillsItsWorkerReachesTheDeadLetters) {
    this->options_.lease = 300ms;
    EnqueueOptions poison_options;
    poison_options.max_retries = 2;
    std::string poison =
        this->broker_->enqueue("drill.crash", Json::array(), Json::object(), poison_options);
    for (int i = 0; i < 200; ++i)
        this->broker_->enqueue("drill.record", Json::array({"ok" + std::to_string(i)}),
                               Json::object(), {});
    for (int i = 0; i < 2; ++i)
        this->workers_.push_back(start_worker(this->backend_, this->dir_, this->options_, 1ms));
    int restarts = 0;
    auto deadline = std::chrono::steady_clock::now() + 40s;
    while ((this->unfinished() > 0 || this->broker_->dead(10).empty()) &&
           std::chrono::steady_clock::now() < deadline) {
        for (auto& pid : this->workers_) {
            int status = 0;
            if (waitpid(pid, &status, WNOHANG) == pid) {  // died: a supervisor restarts it
                pid = start_worker(this->backend_, this->dir_, this->options_, 1ms);
                ++restarts;
            }
        }
        std::this_thread::sleep_for(20ms);
    }
    auto dead = this->broker_->dead(10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].id, poison);
    EXPECT_NE(dead[0].error.find("its worker died during 3 runs"), std::string::npos)
        << dead[0].error;
    int crashes = 0;
    std::set<std::string> ok;
    for (const auto& f : read_ledger(this->dir_ + "/ledger")) {
        if (f[0] == "crash") ++crashes;
        if (f[0] == "run") ok.insert(f[1]);
    }
    EXPECT_EQ(crashes, 3) << "run max_retries + 1 times, then never again";
    EXPECT_EQ(restarts, 3);
    EXPECT_EQ(ok.size(), 200u) << "the other tasks all ran";
    EXPECT_EQ(this->unfinished(), 0);
}

// An ETA far beyond the lease: the task waits unleased and runs once.
TYPED_TEST(TaskDrill, EtaBeyondTheLeaseRunsOnce) {
    this->options_.lease = 300ms;
    EnqueueOptions o;
    o.eta = Clock::now() + 1500ms;
    this->broker_->enqueue("drill.record", Json::array({"later"}), Json::object(), o);
    this->workers_.push_back(start_worker(this->backend_, this->dir_, this->options_, 1ms));
    this->workers_.push_back(start_worker(this->backend_, this->dir_, this->options_, 1ms));
    std::this_thread::sleep_for(1200ms);
    EXPECT_TRUE(read_ledger(this->dir_ + "/ledger").empty()) << "not before its ETA";
    std::this_thread::sleep_for(1800ms);  // the ETA, plus several leases
    auto ledger = read_ledger(this->dir_ + "/ledger");
    int runs = 0;
    for (const auto& f : ledger) runs += f[0] == "run";
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(this->unfinished(), 0);
}

// A task named with a store write that fails is never enqueued, so never
// runs; with a write that succeeds it runs.
TYPED_TEST(TaskDrill, TaskOfAFailedStoreWriteNeverRuns) {
    auto store = docstore::open_store({.url = "sqlite://" + this->dir_ + "/store.db"});
    auto& users = store->collection("users");
    users.create_index({.name = "", .keys = {{"email", false}}, .unique = true});
    users.insert(docstore::Document{{"email", "a@example.com"}});
    this->workers_.push_back(start_worker(this->backend_, this->dir_, this->options_, 1ms));

    auto sign_up = [&](const std::string& email, const std::string& tag) {
        AfterCommit after(*this->broker_);
        after.enqueue("drill.record", Json::array({tag}), Json::object());
        users.insert(docstore::Document{{"email", email}});  // throws on a duplicate
        return after.commit();
    };
    EXPECT_THROW(sign_up("a@example.com", "failed-write"), docstore::DuplicateKey);
    EXPECT_EQ(sign_up("b@example.com", "saved-write").size(), 1u);
    for (int i = 0; i < 200 && this->unfinished() > 0; ++i) std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(200ms);
    std::set<std::string> ran;
    for (const auto& f : read_ledger(this->dir_ + "/ledger"))
        if (f[0] == "run") ran.insert(f[1]);
    EXPECT_EQ(ran, std::set<std::string>{"saved-write"});
    EXPECT_EQ(this->unfinished(), 0);
}

// Redis SIGKILLed and restarted under a producer (appendfsync always): every
// enqueue Redis acknowledged is there afterwards.
TEST(RedisDrill, AcknowledgedEnqueuesSurviveASigkilledRedis) {
    RedisBackend backend;
    std::string error = backend.setup();
    if (!error.empty()) {
        if (testing::services_required()) FAIL() << error;
        GTEST_SKIP() << error;
    }
    auto broker = backend.make();
    std::vector<std::string> acknowledged;
    std::atomic<bool> stop{false};
    std::atomic<int> refused{0};
    std::thread producer([&] {
        for (int i = 0; !stop; ++i) {
            try {
                acknowledged.push_back(
                    broker->enqueue("famigo.ping", Json::array({i}), Json::object(), {}));
            } catch (const BrokerUnavailable&) {
                ++refused;  // not acknowledged: the producer knows it was not sent
                std::this_thread::sleep_for(5ms);
            }
        }
    });
    std::this_thread::sleep_for(700ms);
    RedisBackend::env().kill();
    std::this_thread::sleep_for(300ms);
    RedisBackend::env().restart();
    std::this_thread::sleep_for(700ms);
    stop = true;
    producer.join();
    std::set<std::string> fetched;
    while (auto lease = broker->fetch({"famigo"}, 10s, 0ms)) {
        fetched.insert(lease->task.id);
        broker->ack(*lease, nullptr);
    }
    std::size_t lost = 0;
    for (const auto& id : acknowledged) lost += fetched.count(id) == 0;
    EXPECT_GT(refused, 0) << "the producer saw the outage";
    EXPECT_GT(acknowledged.size(), 100u);
    EXPECT_EQ(lost, 0u) << "of " << acknowledged.size() << " acknowledged enqueues";
    std::cout << "[drill] redis restart: " << acknowledged.size() << " acknowledged, " << refused
              << " refused during the outage, " << lost << " lost\n";
}

}  // namespace
}  // namespace famigo::tasks
