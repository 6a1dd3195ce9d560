// Schedules (intervals and cron), beat.schedules lines, and the Beat
// scheduler on a real SQLite broker: one enqueue per due slot, a missed slot
// run once after downtime, and one active scheduler among two.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tasks/beat.hpp"
#include "tasks/factory.hpp"

namespace famigo::tasks {
namespace {

using namespace std::chrono_literals;

// 2026-12-04 (a Friday) at hh:mm UTC.
TimePoint at(int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 11;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return Clock::from_time_t(timegm(&tm));
}

TEST(Schedule, IntervalIsLastPlusPeriod) {
    auto s = Schedule::parse("every 90s");
    EXPECT_EQ(s.next_after(at(4, 10, 0)), at(4, 10, 1) + 30s);
    EXPECT_EQ(Schedule::parse("every 2h").next_after(at(4, 10, 0)), at(4, 12, 0));
}

TEST(Schedule, CronFieldsListsRangesAndSteps) {
    auto daily = Schedule::parse("cron 30 3 * * *");
    EXPECT_EQ(daily.next_after(at(4, 2, 0)), at(4, 3, 30));
    EXPECT_EQ(daily.next_after(at(4, 3, 30)), at(5, 3, 30));  // strictly after
    auto quarter = Schedule::parse("cron */15 * * * *");
    EXPECT_EQ(quarter.next_after(at(4, 10, 1)), at(4, 10, 15));
    EXPECT_EQ(quarter.next_after(at(4, 10, 45)), at(4, 11, 0));
    auto list = Schedule::parse("cron 0 9-17/4,20 * * *");
    EXPECT_EQ(list.next_after(at(4, 9, 0)), at(4, 13, 0));
    EXPECT_EQ(list.next_after(at(4, 17, 0)), at(4, 20, 0));
    EXPECT_EQ(list.next_after(at(4, 20, 0)), at(5, 9, 0));
}

TEST(Schedule, CronDays) {
    // Weekdays only: Friday the 4th -> Monday the 7th.
    EXPECT_EQ(Schedule::parse("cron 0 6 * * 1-5").next_after(at(4, 7, 0)), at(7, 6, 0));
    EXPECT_EQ(Schedule::parse("cron 0 6 * * 7").next_after(at(4, 7, 0)), at(6, 6, 0));  // Sunday
    // Both day fields restricted: either matches (the 10th, or a Sunday first).
    EXPECT_EQ(Schedule::parse("cron 0 0 10 * 0").next_after(at(4, 7, 0)), at(6, 0, 0));
    EXPECT_EQ(Schedule::parse("cron 0 0 1 1 *").next_after(at(4, 7, 0)),
              Clock::from_time_t(1798761600));  // 2027-01-01
    // 29 February: the next leap year.
    EXPECT_EQ(Schedule::parse("cron 0 0 29 2 *").next_after(at(4, 7, 0)),
              Clock::from_time_t(1835395200));  // 2028-02-29
}

TEST(Schedule, BadSchedulesNameTheProblem) {
    for (const char* bad : {"every", "every 0s", "every 10x", "cron * * * *", "cron 60 * * * *",
                            "cron * 24 * * *", "cron * * 0 * *", "cron * * * 13 *",
                            "cron * * * * 8", "cron 5-1 * * * *", "cron */0 * * * *", "hourly"}) {
        EXPECT_THROW(Schedule::parse(bad), BadSchedule) << bad;
    }
}

TEST(Schedule, BeatEntries) {
    auto e = parse_beat_entry("backup cron 30 3 * * * famigo.backup");
    EXPECT_EQ(e.name, "backup");
    EXPECT_EQ(e.schedule.text(), "cron 30 3 * * *");
    EXPECT_EQ(e.task, "famigo.backup");
    EXPECT_EQ(e.args, Json::array());
    auto p = parse_beat_entry("  ping  every 10s famigo.ping [\"a b\", 2]");
    EXPECT_EQ(p.schedule.text(), "every 10s");
    EXPECT_EQ(p.task, "famigo.ping");
    EXPECT_EQ(p.args, Json::array({"a b", 2}));
    for (const char* bad : {"x", "x every 1s", "x hourly famigo.ping", "x every 1s famigo.ping {}",
                            "x every 1s famigo.ping [1", "x cron 1 2 3 famigo.ping"}) {
        EXPECT_THROW(parse_beat_entry(bad), BadSchedule) << bad;
    }
}

class BeatTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = "/tmp/famigo-beat-XXXXXX";
        ASSERT_TRUE(mkdtemp(pattern.data()));
        dir_ = pattern;
        broker_ = make_broker("sqlite://" + (dir_ / "tasks.db").string());
    }
    void TearDown() override {
        broker_.reset();
        std::filesystem::remove_all(dir_);
    }
    BeatOptions options(std::string owner, std::string line = "job every 1m t.job [7]") {
        BeatOptions o;
        o.entries.push_back(parse_beat_entry(line));
        o.owner = std::move(owner);
        o.lease = 10s;
        return o;
    }
    std::int64_t waiting() {
        std::int64_t n = 0;
        for (const auto& q : broker_->stats()) n += q.ready + q.scheduled;
        return n;
    }
    std::filesystem::path dir_;
    std::unique_ptr<Broker> broker_;
};

TEST_F(BeatTest, EnqueuesOncePerSlotFromTheFirstSighting) {
    Beat beat(*broker_, options("a"));
    auto t0 = at(4, 10, 0);
    EXPECT_TRUE(beat.tick(t0));  // first sight: first run one period later
    EXPECT_EQ(waiting(), 0);
    beat.tick(t0 + 59s);
    EXPECT_EQ(waiting(), 0);
    beat.tick(t0 + 60s);
    beat.tick(t0 + 61s);
    EXPECT_EQ(waiting(), 1);
    auto lease = broker_->fetch({"famigo"}, 10s, 0ms);
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease->task.name, "t.job");
    EXPECT_EQ(lease->task.args, Json::array({7}));
    beat.tick(t0 + 120s);
    EXPECT_EQ(beat.enqueued(), 2u);
}

TEST_F(BeatTest, MissedSlotsRunOnceAfterDowntime) {
    auto t0 = at(4, 10, 0);
    {
        Beat beat(*broker_, options("a"));
        beat.tick(t0);
        beat.release();
    }
    Beat later(*broker_, options("b"));  // 10 hours later: 600 slots missed
    later.tick(t0 + 10h);
    later.tick(t0 + 10h + 1s);
    EXPECT_EQ(waiting(), 1);
    later.tick(t0 + 10h + 60s);
    EXPECT_EQ(waiting(), 2);  // then on schedule from the catch-up run
}

TEST_F(BeatTest, OnlyTheLockHolderEnqueuesAndAnotherTakesOver) {
    auto other_broker = make_broker("sqlite://" + (dir_ / "tasks.db").string());
    auto oa = options("a"), ob = options("b");
    oa.lease = ob.lease = 300ms;
    Beat a(*broker_, oa), b(*other_broker, ob);
    auto t0 = at(4, 10, 0);
    EXPECT_TRUE(a.tick(t0));
    EXPECT_FALSE(b.tick(t0));
    for (int minute = 1; minute <= 3; ++minute) {
        EXPECT_TRUE(a.tick(t0 + minute * 60s));
        EXPECT_FALSE(b.tick(t0 + minute * 60s));
    }
    EXPECT_EQ(waiting(), 3);
    EXPECT_EQ(b.enqueued(), 0u);
    std::this_thread::sleep_for(400ms);  // a stops renewing: its lease runs out
    EXPECT_TRUE(b.tick(t0 + 4 * 60s));
    EXPECT_EQ(waiting(), 4);
    EXPECT_FALSE(a.tick(t0 + 4 * 60s));
    EXPECT_EQ(waiting(), 4);
}

TEST_F(BeatTest, ASlotAlreadySentByAnotherSchedulerIsNotSentAgain) {
    // Two schedulers that both believe they hold the lock (one paused past
    // its lease) read the same last run: the idempotency key
    // beat:<name>:<previous run> makes their two enqueues one task.
    Beat a(*broker_, options("a"));
    auto t0 = at(4, 10, 0);
    a.tick(t0);
    EnqueueOptions other;  // what the other scheduler sent for this slot
    other.idempotency_key = "beat:job:" + std::to_string(to_ms(t0));
    std::string first = broker_->enqueue("t.job", Json::array({7}), Json::object(), other);
    a.tick(t0 + 60s);
    EXPECT_EQ(waiting(), 1);
    auto lease = broker_->fetch({"famigo"}, 10s, 0ms);
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease->task.id, first);
}

}  // namespace
}  // namespace famigo::tasks
