// The contract every tasks::Broker keeps (DESIGN.md §2: one suite per
// interface, run on every backend): SQLite on a scratch file, and Redis on a
// real redis-server started by tests/env/redis.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "test_backends.hpp"

namespace famigo::tasks {
namespace {

using namespace std::chrono_literals;

template <class Backend>
class BrokerContract : public BackendTest<Backend> {
  protected:
    using BackendTest<Backend>::broker;
    std::string send(std::string name = "t.job", Json args = Json::array({1, "two"}),
                     EnqueueOptions options = {}) {
        return broker().enqueue(name, args, Json{{"k", true}}, options);
    }
    std::optional<Lease> take(milliseconds lease = 10s, milliseconds wait = 0ms,
                              std::vector<std::string> queues = {"famigo"}) {
        return broker().fetch(queues, lease, wait);
    }
};

TYPED_TEST_SUITE(BrokerContract, Backends, BackendName);

TYPED_TEST(BrokerContract, EnqueuedTaskIsFetchedWithEverythingKept) {
    EnqueueOptions o;
    o.max_retries = 7;
    o.keep_result = true;
    std::string id = this->send("t.job", Json::array({1, "two", Json{{"n", nullptr}}}), o);
    EXPECT_EQ(id.size(), 36u);
    auto lease = this->take();
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease->task.id, id);
    EXPECT_EQ(lease->task.name, "t.job");
    EXPECT_EQ(lease->task.queue, "famigo");
    EXPECT_EQ(lease->task.args, Json::array({1, "two", Json{{"n", nullptr}}}));
    EXPECT_EQ(lease->task.kwargs, (Json{{"k", true}}));
    EXPECT_EQ(lease->task.retries, 0);
    EXPECT_EQ(lease->task.max_retries, 7);
    EXPECT_TRUE(lease->task.keep_result);
    EXPECT_FALSE(lease->token.empty());
    EXPECT_FALSE(this->take()) << "a leased task is not handed out twice";
}

TYPED_TEST(BrokerContract, EmptyQueueWaitsThenGivesNothing) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(this->take(10s, 150ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 140ms);
}

TYPED_TEST(BrokerContract, WaitingFetchGetsATaskEnqueuedMeanwhile) {
    std::thread later([this] {
        std::this_thread::sleep_for(100ms);
        this->send();
    });
    auto lease = this->take(10s, 3s);
    later.join();
    EXPECT_TRUE(lease);
}

TYPED_TEST(BrokerContract, FirstInFirstOutWithinAQueue) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(this->send("t.job", Json::array({i})));
    for (int i = 0; i < 5; ++i) {
        auto lease = this->take();
        ASSERT_TRUE(lease);
        EXPECT_EQ(lease->task.id, ids[std::size_t(i)]);
        this->broker().ack(*lease, nullptr);
    }
}

TYPED_TEST(BrokerContract, QueuesAreSeparateAndTakenInTheOrderGiven) {
    EnqueueOptions other;
    other.queue = "mail";
    std::string in_default = this->send();
    std::string in_mail = this->send("t.job", Json::array(), other);
    EXPECT_FALSE(this->take(10s, 0ms, {"nothing"}));
    auto first = this->take(10s, 0ms, {"mail", "famigo"});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->task.id, in_mail);
    EXPECT_EQ(first->task.queue, "mail");
    auto second = this->take(10s, 0ms, {"mail", "famigo"});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->task.id, in_default);
}

TYPED_TEST(BrokerContract, CountdownDelaysTheTask) {
    EnqueueOptions o;
    o.countdown = 400ms;
    this->send("t.job", Json::array(), o);
    EXPECT_FALSE(this->take()) << "not before its countdown";
    auto lease = this->take(10s, 3s);
    ASSERT_TRUE(lease);
    EXPECT_TRUE(lease->task.eta);
}

TYPED_TEST(BrokerContract, EtaBeyondTheLeaseRunsOnce) {
    EnqueueOptions o;
    o.eta = Clock::now() + 500ms;
    std::string id = this->send("t.job", Json::array(), o);
    auto lease = this->take(200ms, 3s);
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease->task.id, id);
    EXPECT_GE(Clock::now(), *o.eta - 20ms);
    this->broker().ack(*lease, nullptr);
    EXPECT_FALSE(this->take(200ms, 600ms)) << "acknowledged: never delivered again";
}

TYPED_TEST(BrokerContract, ExpiredTaskIsNotRunAndIsDeadLettered) {
    EnqueueOptions o;
    o.expires = Clock::now() + 100ms;
    std::string id = this->send("t.job", Json::array(), o);
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(this->take());
    auto dead = this->broker().dead(10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].id, id);
    EXPECT_EQ(dead[0].error, "expired");
}

TYPED_TEST(BrokerContract, TaskOfADeadWorkerIsDeliveredAgainWhenItsLeaseRunsOut) {
    std::string id = this->send();
    auto first = this->take(300ms);
    ASSERT_TRUE(first);
    EXPECT_FALSE(this->take()) << "still leased";
    auto second = this->take(10s, 3s);
    ASSERT_TRUE(second) << "redelivered after the lease ran out";
    EXPECT_EQ(second->task.id, id);
    EXPECT_EQ(first->task.lost, 0);
    EXPECT_EQ(second->task.lost, 1) << "one delivery lost its worker";
    EXPECT_NE(second->token, first->token);
    Lease stale = *first;
    EXPECT_FALSE(this->broker().extend(stale, 10s)) << "the old lease is gone";
    this->broker().ack(*first, nullptr);  // late: must not settle the new delivery
    this->broker().release(*second);
    auto third = this->take();
    ASSERT_TRUE(third) << "the late ack of the first delivery did not remove it";
    EXPECT_EQ(third->task.lost, 1) << "a hand-back is not a lost delivery";
    this->broker().ack(*third, nullptr);
    EXPECT_FALSE(this->take(10s, 500ms));
}

TYPED_TEST(BrokerContract, LostDeliveriesAreCountedUntilTheTaskIsSettled) {
    std::string id = this->send();
    for (int lost = 0; lost < 3; ++lost) {
        auto lease = this->take(100ms, 2s);
        ASSERT_TRUE(lease);
        EXPECT_EQ(lease->task.lost, lost);
        std::this_thread::sleep_for(120ms);  // the worker "dies": the lease runs out
    }
    auto lease = this->take(10s, 2s);
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease->task.lost, 3);
    this->broker().fail(*lease, "poison", std::nullopt);
    ASSERT_TRUE(this->broker().retry_dead(id));
    auto again = this->take(10s, 2s);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->task.lost, 0) << "a dead letter sent back starts afresh";
}

TYPED_TEST(BrokerContract, ExtendedLeaseIsKept) {
    this->send();
    auto lease = this->take(400ms);
    ASSERT_TRUE(lease);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(this->broker().extend(*lease, 2s));
    std::this_thread::sleep_for(400ms);
    EXPECT_FALSE(this->take()) << "the extended lease still holds";
}

TYPED_TEST(BrokerContract, FailedTaskComesBackAtItsRetryTimeWithOneMoreRetry) {
    std::string id = this->send();
    auto lease = this->take();
    ASSERT_TRUE(lease);
    this->broker().fail(*lease, "boom", Clock::now() + 400ms);
    EXPECT_FALSE(this->take()) << "not before the retry time";
    auto again = this->take(10s, 3s);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->task.id, id);
    EXPECT_EQ(again->task.retries, 1);
    EXPECT_EQ(again->task.args, lease->task.args);
}

TYPED_TEST(BrokerContract, FailureWithoutRetryGoesToTheDeadLettersAndCanBeRetried) {
    std::string id = this->send();
    auto lease = this->take();
    ASSERT_TRUE(lease);
    this->broker().fail(*lease, "no good", std::nullopt);
    EXPECT_FALSE(this->take());
    auto dead = this->broker().dead(10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].id, id);
    EXPECT_EQ(dead[0].name, "t.job");
    EXPECT_EQ(dead[0].error, "no good");
    EXPECT_FALSE(this->broker().retry_dead("no-such-id"));
    EXPECT_TRUE(this->broker().retry_dead(id));
    EXPECT_TRUE(this->broker().dead(10).empty());
    auto again = this->take();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->task.id, id);
    EXPECT_EQ(again->task.retries, 0);
}

TYPED_TEST(BrokerContract, ReleasedTaskIsReadyAtOnce) {
    std::string id = this->send();
    auto lease = this->take();
    ASSERT_TRUE(lease);
    this->broker().release(*lease);
    auto again = this->take();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->task.id, id);
    EXPECT_EQ(again->task.retries, 0);
}

TYPED_TEST(BrokerContract, IdempotencyKeyMakesOneTask) {
    EnqueueOptions o;
    o.idempotency_key = "welcome-mail:42";
    std::string a = this->send("t.job", Json::array(), o);
    std::string b = this->send("t.job", Json::array(), o);
    EXPECT_EQ(a, b);
    auto lease = this->take();
    ASSERT_TRUE(lease);
    this->broker().ack(*lease, nullptr);
    EXPECT_EQ(this->send("t.job", Json::array(), o), a) << "remembered after it ran";
    EXPECT_FALSE(this->take());
}

TYPED_TEST(BrokerContract, ResultIsKeptOnlyWhenAskedAndExpires) {
    EnqueueOptions keep;
    keep.keep_result = true;
    keep.result_ttl = 600ms;
    std::string kept = this->send("t.job", Json::array(), keep);
    std::string plain = this->send();
    for (int i = 0; i < 2; ++i) {
        auto lease = this->take();
        ASSERT_TRUE(lease);
        this->broker().ack(*lease, Json{{"answer", 42}});
    }
    auto r = this->broker().result(kept);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, "SUCCESS");
    EXPECT_EQ(r->value, (Json{{"answer", 42}}));
    EXPECT_FALSE(this->broker().result(plain));
    std::this_thread::sleep_for(800ms);
    this->take();  // lets the SQLite backend collect expired records
    EXPECT_FALSE(this->broker().result(kept)) << "gone after its TTL";
}

TYPED_TEST(BrokerContract, StatsCountEachState) {
    EnqueueOptions later;
    later.countdown = 1h;
    this->send();
    this->send();
    this->send();
    this->send("t.job", Json::array(), later);
    auto running = this->take();
    auto dying = this->take();
    ASSERT_TRUE(running && dying);
    this->broker().fail(*dying, "x", std::nullopt);
    std::this_thread::sleep_for(50ms);
    auto stats = this->broker().stats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].queue, "famigo");
    EXPECT_EQ(stats[0].ready, 1);
    EXPECT_EQ(stats[0].scheduled, 1);
    EXPECT_EQ(stats[0].running, 1);
    EXPECT_EQ(stats[0].dead, 1);
    EXPECT_GE(stats[0].oldest_age_seconds, 0.04);
    EXPECT_LT(stats[0].oldest_age_seconds, 60);
    auto listed = this->broker().list("famigo", 10);
    EXPECT_EQ(listed.size(), 3u);
    auto shown = this->broker().show(running->task.id);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->state, "running");
    EXPECT_FALSE(this->broker().show("no-such-id"));
}

TYPED_TEST(BrokerContract, PurgeDropsWaitingTasksOnly) {
    this->send();
    this->send();
    auto running = this->take();
    ASSERT_TRUE(running);
    EXPECT_EQ(this->broker().purge("famigo"), 1);
    EXPECT_FALSE(this->take());
    this->broker().ack(*running, nullptr);
}

TYPED_TEST(BrokerContract, BadNamesAndArgumentsAreRefused) {
    EXPECT_THROW(this->send(""), BadTask);
    EXPECT_THROW(this->send("has space"), BadTask);
    EXPECT_THROW(this->broker().enqueue("t", Json{{"not", "a list"}}, Json::object(), {}), BadTask);
    EXPECT_THROW(this->broker().enqueue("t", Json::array(), Json::array(), {}), BadTask);
    EnqueueOptions o;
    o.queue = "";
    EXPECT_THROW(this->send("t.job", Json::array(), o), BadTask);
}

TYPED_TEST(BrokerContract, ConcurrentFetchersNeverShareATask) {
    constexpr int kTasks = 200;
    for (int i = 0; i < kTasks; ++i) this->send("t.job", Json::array({i}));
    std::mutex mutex;
    std::multiset<std::string> seen;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            auto broker = this->backend_.make();  // each worker its own client
            while (auto lease = broker->fetch({"famigo"}, 10s, 0ms)) {
                broker->ack(*lease, nullptr);
                std::lock_guard lock(mutex);
                seen.insert(lease->task.id);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(seen.size(), std::size_t(kTasks));
    std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), std::size_t(kTasks));
}

TYPED_TEST(BrokerContract, PingAnswersWhileUp) {
    EXPECT_NO_THROW(this->broker().ping());
}

TYPED_TEST(BrokerContract, LockHasOneHolderUntilItsLeaseRunsOut) {
    auto other = this->backend_.make();  // another process's client
    EXPECT_TRUE(this->broker().try_lock("beat", "a", 300ms));
    EXPECT_FALSE(other->try_lock("beat", "b", 300ms));
    EXPECT_TRUE(this->broker().try_lock("beat", "a", 300ms));  // renewed by its holder
    EXPECT_TRUE(other->try_lock("other-lock", "b", 300ms));    // locks are by name
    std::this_thread::sleep_for(400ms);
    EXPECT_TRUE(other->try_lock("beat", "b", 10s));  // a ran out: b takes over
    EXPECT_FALSE(this->broker().try_lock("beat", "a", 10s));
    this->broker().unlock("beat", "a");  // not a's: changes nothing
    EXPECT_FALSE(this->broker().try_lock("beat", "a", 10s));
    other->unlock("beat", "b");
    EXPECT_TRUE(this->broker().try_lock("beat", "a", 10s));
}

TYPED_TEST(BrokerContract, ValuesAreSharedAndOverwritten) {
    auto other = this->backend_.make();
    EXPECT_FALSE(this->broker().get_value("beat.last.x"));
    this->broker().set_value("beat.last.x", "1");
    this->broker().set_value("beat.last.x", "2");
    EXPECT_EQ(other->get_value("beat.last.x"), "2");
    EXPECT_FALSE(other->get_value("beat.last.y"));
}

}  // namespace
}  // namespace famigo::tasks
