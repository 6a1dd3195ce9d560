#include "web/template/dateformat.hpp"

#include <array>
#include <chrono>

#include "web/template/errors.hpp"
#include "web/template/value.hpp"

namespace famigo::web::tmpl {

namespace {

constexpr std::array<const char*, 13> kMonths = {
    "",     "January", "February",  "March",   "April",    "May",     "June",
    "July", "August",  "September", "October", "November", "December"};
constexpr std::array<const char*, 13> kMonthsAp = {"",     "Jan.", "Feb.", "March", "April",
                                                   "May",  "June", "July", "Aug.",  "Sept.",
                                                   "Oct.", "Nov.", "Dec."};
constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};

bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

// Days since 1970-01-01 (Howard Hinnant's civil-from-days, inverted).
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = unsigned((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

int weekday(const DateTime& dt) {  // Monday = 0, as Python
    std::int64_t days = days_from_civil(dt.year, dt.month, dt.day);
    return int(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

int day_of_year(const DateTime& dt) {
    return int(days_from_civil(dt.year, dt.month, dt.day) - days_from_civil(dt.year, 1, 1)) + 1;
}

// ISO 8601 year and week number.
std::pair<int, int> iso_week(const DateTime& dt) {
    auto week_one_monday = [](int y) {
        std::int64_t jan4 = days_from_civil(y, 1, 4);
        int wd = int(((jan4 % 7) + 7 + 3) % 7);
        return jan4 - wd;
    };
    std::int64_t day = days_from_civil(dt.year, dt.month, dt.day);
    int y = dt.year;
    if (day < week_one_monday(y)) {
        --y;
    } else if (day >= week_one_monday(y + 1)) {
        ++y;
    }
    return {y, int((day - week_one_monday(y)) / 7) + 1};
}

std::string two(int v) {
    std::string s = std::to_string(v);
    return s.size() < 2 ? "0" + s : s;
}

bool is_time_letter(char c) {
    return std::string_view("aAefgGhHiOPsTuZr").find(c) != std::string_view::npos;
}

bool is_format_letter(char c) {
    return std::string_view("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ").find(c) !=
           std::string_view::npos;
}

std::string letter(const DateTime& dt, char c) {
    int g = dt.hour % 12 == 0 ? 12 : dt.hour % 12;
    switch (c) {
        case 'a':
            return dt.hour >= 12 ? "p.m." : "a.m.";
        case 'A':
            return dt.hour >= 12 ? "PM" : "AM";
        case 'b': {
            std::string m = std::string(kMonths[std::size_t(dt.month)]).substr(0, 3);
            m[0] = char(m[0] + 32);
            return m;
        }
        case 'c': {
            std::string s = std::to_string(dt.year);
            // Appends only: GCC 12 warns falsely (-Wrestrict) on "lit" + string.
            if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
            s.append("-").append(two(dt.month)).append("-").append(two(dt.day));
            if (!dt.has_time) return s;
            s.append("T")
                .append(two(dt.hour))
                .append(":")
                .append(two(dt.minute))
                .append(":")
                .append(two(dt.second));
            if (dt.microsecond) {
                std::string us = std::to_string(dt.microsecond);
                s.append(".").append(6 - us.size(), '0').append(us);
            }
            return s;
        }
        case 'd':
            return two(dt.day);
        case 'D':
            return std::string(kWeekdays[std::size_t(weekday(dt))]).substr(0, 3);
        case 'e':
            return "";
        case 'E':
        case 'F':
            return kMonths[std::size_t(dt.month)];
        case 'f':
            return dt.minute == 0 ? std::to_string(g) : std::to_string(g) + ":" + two(dt.minute);
        case 'g':
            return std::to_string(g);
        case 'G':
            return std::to_string(dt.hour);
        case 'h':
            return two(g);
        case 'H':
            return two(dt.hour);
        case 'i':
            return two(dt.minute);
        case 'I':
            return dt.has_time ? "0" : "";
        case 'j':
            return std::to_string(dt.day);
        case 'l':
            return kWeekdays[std::size_t(weekday(dt))];
        case 'L':
            return is_leap(dt.year) ? "True" : "False";
        case 'm':
            return two(dt.month);
        case 'M':
            return std::string(kMonths[std::size_t(dt.month)]).substr(0, 3);
        case 'n':
            return std::to_string(dt.month);
        case 'N':
            return kMonthsAp[std::size_t(dt.month)];
        case 'o':
            return std::to_string(iso_week(dt).first);
        case 'O':
            return "+0000";
        case 'P':
            if (dt.minute == 0 && dt.hour == 0) return "midnight";
            if (dt.minute == 0 && dt.hour == 12) return "noon";
            return letter(dt, 'f') + " " + letter(dt, 'a');
        case 'r':
            return letter(dt, 'D') + ", " + two(dt.day) + " " + letter(dt, 'M') + " " +
                   std::to_string(dt.year) + " " + two(dt.hour) + ":" + two(dt.minute) + ":" +
                   two(dt.second) + " +0000";
        case 's':
            return two(dt.second);
        case 'S': {
            if (dt.day >= 11 && dt.day <= 13) return "th";
            int last = dt.day % 10;
            return last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
        }
        case 't':
            return two(days_in_month(dt.year, dt.month));
        case 'T':
            return "UTC";
        case 'u': {
            std::string us = std::to_string(dt.microsecond);
            return std::string(6 - us.size(), '0') + us;
        }
        case 'U':
            return std::to_string(dt.epoch_micros() / 1000000);
        case 'w':
            return std::to_string((weekday(dt) + 1) % 7);
        case 'W':
            return std::to_string(iso_week(dt).second);
        case 'y':
            return two(((dt.year % 100) + 100) % 100);
        case 'Y':
            return std::to_string(dt.year);
        case 'z':
            return std::to_string(day_of_year(dt));
        case 'Z':
            return "0";
        default:
            return std::string(1, c);
    }
}

// Walks a format the way Django does: an unescaped letter is a specifier, a
// backslash makes the next character literal.
template <typename Each>
void walk(std::string_view f, Each&& each, std::string& out) {
    for (std::size_t i = 0; i < f.size(); ++i) {
        char c = f[i];
        if (c == '\\') {
            if (i + 1 < f.size()) {
                if (f[i + 1] == '\n') {  // Django's "." does not match a newline
                    out += '\\';
                    continue;
                }
                out += f[++i];
            } else {
                out += c;
            }
            continue;
        }
        if (is_format_letter(c))
            each(c);
        else
            out += c;
    }
}

}  // namespace

std::int64_t DateTime::epoch_micros() const {
    std::int64_t days = days_from_civil(year, month, day);
    return ((days * 24 + hour) * 60 + minute) * 60000000LL + std::int64_t(second) * 1000000 +
           microsecond;
}

std::optional<DateTime> parse_iso_datetime(std::string_view s) {
    auto digits = [&](std::size_t pos, std::size_t n, int& out) {
        if (pos + n > s.size()) return false;
        out = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    DateTime dt;
    if (!digits(0, 4, dt.year) || s.size() < 10 || s[4] != '-' || !digits(5, 2, dt.month) ||
        s[7] != '-' || !digits(8, 2, dt.day))
        return std::nullopt;
    if (dt.year < 1 || dt.month < 1 || dt.month > 12 || dt.day < 1 ||
        dt.day > days_in_month(dt.year, dt.month))
        return std::nullopt;
    if (s.size() == 10) {
        dt.has_time = false;
        return dt;
    }
    if (s.size() < 16 || s[10] != 'T' || !digits(11, 2, dt.hour) || s[13] != ':' ||
        !digits(14, 2, dt.minute))
        return std::nullopt;
    std::size_t pos = 16;
    if (pos < s.size()) {
        if (s[pos] != ':' || !digits(pos + 1, 2, dt.second)) return std::nullopt;
        pos += 3;
        if (pos < s.size()) {
            if (s[pos] != '.') return std::nullopt;
            std::size_t n = s.size() - pos - 1;
            if (n < 1 || n > 6 || !digits(pos + 1, n, dt.microsecond)) return std::nullopt;
            for (std::size_t k = n; k < 6; ++k) dt.microsecond *= 10;
        }
    }
    if (dt.hour > 23 || dt.minute > 59 || dt.second > 59) return std::nullopt;
    return dt;
}

std::optional<DateTime> to_datetime(const Value& v) {
    if (!v.is_string()) return std::nullopt;
    return parse_iso_datetime(v.as_string());
}

DateTime now_utc() {
    using namespace std::chrono;
    auto now = time_point_cast<microseconds>(system_clock::now());
    auto days = floor<std::chrono::days>(now);
    year_month_day ymd{days};
    hh_mm_ss hms{now - days};
    DateTime dt;
    dt.year = int(ymd.year());
    dt.month = int(unsigned(ymd.month()));
    dt.day = int(unsigned(ymd.day()));
    dt.hour = int(hms.hours().count());
    dt.minute = int(hms.minutes().count());
    dt.second = int(hms.seconds().count());
    dt.microsecond = int(hms.subseconds().count());
    return dt;
}

std::string format_datetime(const DateTime& dt, std::string_view format) {
    std::string out;
    walk(
        format,
        [&](char c) {
            if (!dt.has_time && is_time_letter(c)) {
                throw TemplateRenderError(
                    "The format for date objects may not contain time-related format specifiers "
                    "(found '" +
                    std::string(1, c) + "').");
            }
            out += letter(dt, c);
        },
        out);
    return out;
}

std::optional<std::string> format_time(const DateTime& dt, std::string_view format) {
    std::string out;
    bool ok = true;
    walk(
        format,
        [&](char c) {
            if (!is_time_letter(c) || c == 'r') ok = false;
            if (ok) out += letter(dt, c);
        },
        out);
    if (!ok) return std::nullopt;
    return out;
}

std::string_view named_format(std::string_view name) {
    if (name == "DATE_FORMAT") return "N j, Y";
    if (name == "DATETIME_FORMAT") return "N j, Y, P";
    if (name == "TIME_FORMAT") return "P";
    if (name == "YEAR_MONTH_FORMAT") return "F Y";
    if (name == "MONTH_DAY_FORMAT") return "F j";
    if (name == "SHORT_DATE_FORMAT") return "m/d/Y";
    if (name == "SHORT_DATETIME_FORMAT") return "m/d/Y P";
    return name;
}

std::string timesince(const DateTime& d_in, const DateTime& now_in, bool reversed) {
    DateTime d = d_in, now = now_in;
    if (reversed) std::swap(d, now);
    auto floor_div = [](std::int64_t a, std::int64_t b) {
        return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
    };
    // Python's calendar.leapdays(y1, y2): leap years in [y1, y2).
    auto leaps_before = [&](std::int64_t y) {
        return floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
    };
    std::int64_t leapdays = leaps_before(now.year - 1) - leaps_before(d.year - 1);
    if (leapdays != 0) {
        if (is_leap(d.year))
            leapdays -= 1;
        else if (is_leap(now.year))
            leapdays += 1;
    }
    std::int64_t delta_us = now.epoch_micros() - d.epoch_micros() - leapdays * 86400LL * 1000000;
    std::int64_t since = floor_div(delta_us, 1000000);
    static const std::pair<std::int64_t, const char*> chunks[] = {{60LL * 60 * 24 * 365, "year"},
                                                                  {60LL * 60 * 24 * 30, "month"},
                                                                  {60LL * 60 * 24 * 7, "week"},
                                                                  {60LL * 60 * 24, "day"},
                                                                  {60LL * 60, "hour"},
                                                                  {60, "minute"}};
    const std::string nbsp = "\xC2\xA0";
    if (since <= 0) return "0" + nbsp + "minutes";
    std::size_t i = 0;
    while (i < 6 && since / chunks[i].first == 0) ++i;
    if (i == 6) return "0" + nbsp + "minutes";
    std::string out;
    for (int depth = 0; i < 6 && depth < 2; ++i, ++depth) {
        std::int64_t count = since / chunks[i].first;
        if (count == 0) break;
        if (!out.empty()) out += ", ";
        out += std::to_string(count) + nbsp + chunks[i].second + (count == 1 ? "" : "s");
        since -= chunks[i].first * count;
    }
    return out;
}

}  // namespace famigo::web::tmpl
