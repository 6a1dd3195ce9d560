// When `famigo beat` enqueues a periodic task: a Schedule is either an interval
// ("every 30s", "every 1h": durations as config writes them) or a five-field
// cron expression in UTC ("cron 30 3 * * *": minute, hour, day of month, month,
// day of week 0-7 with 0 and 7 Sunday; each field `*`, a number, a range
// `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; as in Vixie cron,
// when both day fields are restricted a day matching either one runs).
// A BeatEntry is one line of beat.schedules: "NAME SCHEDULE TASK [ARGS]", e.g.
// "backup cron 30 3 * * * famigo.backup" or "ping every 10s famigo.ping [1]".
#pragma once

#include <array>
#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/broker.hpp"

namespace famigo::tasks {

class BadSchedule : public Error {
  public:
    using Error::Error;
};

class Schedule {
  public:
    // Throws BadSchedule naming what is wrong.
    static Schedule parse(std::string_view text);
    // The first run time strictly after `last` (a cron schedule: to the minute).
    TimePoint next_after(TimePoint last) const;
    const std::string& text() const { return text_; }

  private:
    std::string text_;
    milliseconds every_{0};  // > 0: an interval schedule
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_;     // 1-31
    std::bitset<13> months_;   // 1-12
    std::bitset<8> weekdays_;  // 0-6, Sunday 0
    bool any_day_ = true, any_weekday_ = true;
};

struct BeatEntry {
    std::string name;  // also the key of its last-run time
    Schedule schedule;
    std::string task;
    Json args = Json::array();
};

// Parses one beat.schedules line; throws BadSchedule.
BeatEntry parse_beat_entry(std::string_view line);

}  // namespace famigo::tasks
