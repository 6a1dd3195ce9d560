#include "tasks/schedule.hpp"

#include <ctime>

#include "core/duration.hpp"
#include "core/strings.hpp"

namespace famigo::tasks {
namespace {

std::vector<std::string_view> schedule_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        if (i > start) words.push_back(text.substr(start, i - start));
    }
    return words;
}

// Sets the bits of one cron field, values from lo to hi.
template <std::size_t N>
void cron_field(std::string_view field, int lo, int hi, std::string_view what,
                std::bitset<N>& out) {
    auto bad = [&](std::string_view why) {
        return BadSchedule("cron " + std::string(what) + " '" + std::string(field) +
                           "': " + std::string(why));
    };
    for (auto part : strings::split(field, ',')) {
        int step = 1;
        if (auto slash = part.find('/'); slash != std::string_view::npos) {
            auto n = strings::parse_i64(part.substr(slash + 1));
            if (!n || *n < 1 || *n > hi) throw bad("bad step");
            step = int(*n);
            part = part.substr(0, slash);
        }
        int from = lo, to = hi;
        if (part != "*") {
            auto dash = part.find('-');
            auto a = strings::parse_i64(part.substr(0, dash));
            auto b = dash == std::string_view::npos ? a : strings::parse_i64(part.substr(dash + 1));
            if (!a || !b || *a < lo || *b > hi || *a > *b)
                throw bad("values run from " + std::to_string(lo) + " to " + std::to_string(hi));
            from = int(*a);
            to = int(*b);
            if (dash == std::string_view::npos && step > 1) to = hi;  // "5/15": from 5 on
        }
        for (int v = from; v <= to; v += step) out.set(std::size_t(v));
    }
}

}  // namespace

Schedule Schedule::parse(std::string_view text) {
    Schedule s;
    s.text_ = std::string(strings::trim(text));
    auto words = schedule_words(text);
    if (words.size() == 2 && words[0] == "every") {
        auto ms = config::parse_duration_ms(words[1]);
        if (!ms || *ms < 1000)
            throw BadSchedule("'" + s.text_ +
                              "': every takes a duration of at least 1s (30s, 5m, 2h)");
        s.every_ = milliseconds(*ms);
        return s;
    }
    if (words.size() == 6 && words[0] == "cron") {
        cron_field(words[1], 0, 59, "minute", s.minutes_);
        cron_field(words[2], 0, 23, "hour", s.hours_);
        cron_field(words[3], 1, 31, "day of month", s.days_);
        cron_field(words[4], 1, 12, "month", s.months_);
        std::bitset<8> weekdays;
        cron_field(words[5], 0, 7, "day of week", weekdays);
        if (weekdays.test(7)) weekdays.set(0);
        weekdays.reset(7);
        s.weekdays_ = weekdays;
        s.any_day_ = words[3].starts_with('*');
        s.any_weekday_ = words[5].starts_with('*');
        return s;
    }
    throw BadSchedule("'" + s.text_ +
                      "': a schedule is `every DURATION` or `cron MIN HOUR DAY MONTH WEEKDAY`");
}

TimePoint Schedule::next_after(TimePoint last) const {
    if (every_.count() > 0) return last + every_;
    // Walk forward a minute at a time, skipping whole days and hours that
    // cannot match; at most about four years of days for "cron 0 0 29 2 *".
    std::time_t t = Clock::to_time_t(last);
    t = t - t % 60 + 60;
    for (int guard = 0; guard < 5 * 366 * 24 * 60; ++guard) {
        std::tm tm{};
        gmtime_r(&t, &tm);
        bool day_ok;
        bool dom = days_.test(std::size_t(tm.tm_mday)),
             dow = weekdays_.test(std::size_t(tm.tm_wday));
        if (any_day_ && any_weekday_)
            day_ok = true;
        else if (any_day_)
            day_ok = dow;
        else if (any_weekday_)
            day_ok = dom;
        else
            day_ok = dom || dow;
        if (!months_.test(std::size_t(tm.tm_mon) + 1) || !day_ok) {
            t += (24 - tm.tm_hour) * 3600 - tm.tm_min * 60;  // next midnight
            continue;
        }
        if (!hours_.test(std::size_t(tm.tm_hour))) {
            t += 3600 - tm.tm_min * 60;  // next hour
            continue;
        }
        if (minutes_.test(std::size_t(tm.tm_min))) return Clock::from_time_t(t);
        t += 60;
    }
    throw BadSchedule("'" + text_ + "' never runs");
}

BeatEntry parse_beat_entry(std::string_view line) {
    auto words = schedule_words(line);
    auto bad = [&](std::string_view why) {
        return BadSchedule("beat schedule '" + std::string(strings::trim(line)) +
                           "': " + std::string(why));
    };
    if (words.size() < 2)
        throw bad(
            "expected NAME every DURATION TASK [ARGS] or NAME cron M H DOM MON DOW TASK [ARGS]");
    std::size_t schedule_words_count = words[1] == "every" ? 2 : words[1] == "cron" ? 6 : 0;
    if (schedule_words_count == 0)
        throw bad("the schedule after the name starts with `every` or `cron`");
    if (words.size() < 1 + schedule_words_count) throw bad("the schedule is incomplete");
    BeatEntry e;
    e.name = std::string(words[0]);
    try {
        check_name("schedule name", e.name);
        auto first = words[1].data() - line.data();
        auto last =
            words[schedule_words_count].data() + words[schedule_words_count].size() - line.data();
        e.schedule = Schedule::parse(line.substr(std::size_t(first), std::size_t(last - first)));
    } catch (const BadTask& x) {
        throw bad(x.what());
    } catch (const BadSchedule& x) {
        throw bad(x.what());
    }
    if (words.size() < 2 + schedule_words_count) throw bad("no task name after the schedule");
    e.task = std::string(words[1 + schedule_words_count]);
    try {
        check_name("task name", e.task);
    } catch (const BadTask& x) {
        throw bad(x.what());
    }
    if (words.size() > 2 + schedule_words_count) {
        auto start = words[2 + schedule_words_count].data() - line.data();
        auto args = Json::parse(line.substr(std::size_t(start)), nullptr, false);
        if (args.is_discarded() || !args.is_array())
            throw bad("the task's arguments must be a JSON array");
        e.args = std::move(args);
    }
    return e;
}

}  // namespace famigo::tasks
