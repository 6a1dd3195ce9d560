// The worker pool on the embedded broker: it runs registered tasks, retries
// failures with backoff until max_retries, dead-letters unknown names and bad
// arguments at once, extends leases of long tasks, and hands back at stop().
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "tasks/factory.hpp"

namespace famigo::tasks {
namespace {

using namespace std::chrono_literals;

class WorkerPoolTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = "/tmp/famigo-worker-XXXXXX";
        ASSERT_TRUE(mkdtemp(pattern.data()));
        dir_ = pattern;
        BrokerSettings s;
        s.poll_interval = 10ms;
        broker_ = make_broker("sqlite://" + (dir_ / "tasks.db").string(), s);
        register_builtin_tasks(registry_);
        options_.concurrency = 2;
        options_.retry_base = 20ms;
        options_.retry_max = 100ms;
        options_.fetch_wait = 50ms;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    // Polls until `done` holds, up to 10 s.
    template <class F>
    bool eventually(F done) {
        for (int i = 0; i < 1000; ++i) {
            if (done()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return done();
    }

    std::filesystem::path dir_;
    std::unique_ptr<Broker> broker_;
    Registry registry_;
    WorkerOptions options_;
};

TEST_F(WorkerPoolTest, RunsTasksAndKeepsResults) {
    WorkerPool pool(*broker_, registry_, options_);
    pool.start();
    EnqueueOptions o;
    o.keep_result = true;
    std::string id = broker_->enqueue("famigo.add", Json::array({2, 3}), Json::object(), o);
    ASSERT_TRUE(eventually([&] { return broker_->result(id).has_value(); }));
    EXPECT_EQ(broker_->result(id)->value, 5);
    EXPECT_TRUE(pool.stop());
    EXPECT_EQ(pool.stats().succeeded, 1u);
}

TEST_F(WorkerPoolTest, RetriesWithBackoffThenDeadLetters) {
    std::atomic<int> flaky_runs{0}, bad_runs{0};
    registry_.add("t.flaky", [&](const Json&, const Json&) -> Json {
        if (++flaky_runs < 3) throw Error("not yet");
        return "ok";
    });
    registry_.add("t.bad", [&](const Json&, const Json&) -> Json {
        ++bad_runs;
        throw Error("always");
    });
    WorkerPool pool(*broker_, registry_, options_);
    pool.start();
    EnqueueOptions o;
    o.max_retries = 2;
    o.keep_result = true;
    std::string flaky = broker_->enqueue("t.flaky", Json::array(), Json::object(), o);
    std::string bad = broker_->enqueue("t.bad", Json::array(), Json::object(), o);
    std::string unknown = broker_->enqueue("t.unknown", Json::array(), Json::object(), o);
    std::string wrong = broker_->enqueue("famigo.add", Json::array({"a", 1}), Json::object(), o);
    // Poison tasks never stop the others.
    std::string fine = broker_->enqueue("famigo.add", Json::array({1, 1}), Json::object(), o);
    ASSERT_TRUE(eventually([&] { return broker_->dead(10).size() == 3; }));
    ASSERT_TRUE(eventually([&] { return broker_->result(flaky).has_value(); }));
    EXPECT_EQ(broker_->result(flaky)->value, "ok");
    EXPECT_EQ(broker_->result(fine)->value, 2);
    EXPECT_EQ(flaky_runs, 3);
    EXPECT_EQ(bad_runs, 3) << "one run and two retries";
    std::map<std::string, std::string> dead;
    for (auto& d : broker_->dead(10)) dead[d.id] = d.error;
    EXPECT_EQ(dead[bad], "always");
    EXPECT_NE(dead[unknown].find("no task named t.unknown"), std::string::npos);
    EXPECT_NE(dead[wrong].find("bad arguments"), std::string::npos);
    EXPECT_EQ(broker_->show(bad)->retries, 2);
    EXPECT_TRUE(pool.stop());
    EXPECT_EQ(pool.stats().retried, 4u);
    EXPECT_EQ(pool.stats().dead, 3u);
}

TEST_F(WorkerPoolTest, LongTaskKeepsItsLease) {
    std::atomic<int> runs{0};
    registry_.add("t.slow", [&](const Json&, const Json&) -> Json {
        ++runs;
        std::this_thread::sleep_for(900ms);
        return nullptr;
    });
    options_.lease = 300ms;
    WorkerPool pool(*broker_, registry_, options_);
    pool.start();
    broker_->enqueue("t.slow", Json::array(), Json::object(), {});
    ASSERT_TRUE(eventually([&] { return pool.stats().succeeded == 1; }));
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(runs, 1) << "the lease was extended, so no second worker took it";
    EXPECT_TRUE(pool.stop());
}

TEST_F(WorkerPoolTest, TaskWhoseWorkersKeepDyingIsDeadLetteredUnrun) {
    std::atomic<int> runs{0};
    registry_.add("t.poison", [&](const Json&, const Json&) -> Json {
        ++runs;
        return nullptr;
    });
    EnqueueOptions o;
    o.max_retries = 1;
    std::string poison = broker_->enqueue("t.poison", Json::array(), Json::object(), o);
    // Two deliveries whose "worker died": their leases run out unsettled.
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(broker_->fetch({"famigo"}, 30ms, 2s));
        std::this_thread::sleep_for(40ms);
    }
    WorkerPool pool(*broker_, registry_, options_);
    pool.start();
    EnqueueOptions keep;
    keep.keep_result = true;
    std::string fine = broker_->enqueue("famigo.add", Json::array({1, 2}), Json::object(), keep);
    ASSERT_TRUE(eventually([&] { return broker_->dead(10).size() == 1; }));
    ASSERT_TRUE(eventually([&] { return broker_->result(fine).has_value(); }));
    auto dead = broker_->dead(10);
    EXPECT_EQ(dead[0].id, poison);
    EXPECT_NE(dead[0].error.find("its worker died during 2 runs"), std::string::npos)
        << dead[0].error;
    EXPECT_EQ(runs, 0) << "not run a third time";
    EXPECT_TRUE(pool.stop());
}

TEST_F(WorkerPoolTest, StopHandsBackWhatOutlivesTheGrace) {
    std::atomic<bool> release{false};
    std::atomic<int> runs{0};
    registry_.add("t.stuck", [&](const Json&, const Json&) -> Json {
        ++runs;
        while (!release) std::this_thread::sleep_for(5ms);
        return nullptr;
    });
    options_.shutdown_grace = 200ms;
    options_.concurrency = 1;
    auto pool = std::make_unique<WorkerPool>(*broker_, registry_, options_);
    pool->start();
    std::string id = broker_->enqueue("t.stuck", Json::array(), Json::object(), {});
    ASSERT_TRUE(eventually([&] { return runs == 1; }));
    EXPECT_FALSE(pool->stop());
    auto info = broker_->show(id);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->state, "ready") << "handed back, ready for another worker";
    release = true;
    pool.reset();  // waits for the detached thread, whose late ack is refused
    EXPECT_EQ(broker_->show(id)->state, "ready");
}

TEST(RetryDelay, GrowsExponentiallyWithJitterAndCap) {
    for (int i = 0; i < 50; ++i) {
        auto d0 = retry_delay(0, 1000ms, 60000ms);
        EXPECT_GE(d0, 500ms);
        EXPECT_LE(d0, 1000ms);
        auto d3 = retry_delay(3, 1000ms, 60000ms);
        EXPECT_GE(d3, 4000ms);
        EXPECT_LE(d3, 8000ms);
        auto capped = retry_delay(40, 1000ms, 60000ms);
        EXPECT_GE(capped, 30000ms);
        EXPECT_LE(capped, 60000ms);
    }
}

}  // namespace
}  // namespace famigo::tasks
