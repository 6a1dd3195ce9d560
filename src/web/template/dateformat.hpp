// Dates for templates. JSON has no date type, so date-aware filters (date,
// time, timesince, timeuntil) read ISO 8601 strings: "2011-03-04" is a date,
// "2011-03-04T05:06:07[.ffffff]" a naive datetime in the site's time zone
// (UTC). Formatting follows Django's dateformat letters, in English.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace famigo::web::tmpl {

struct DateTime {
    int year = 1970, month = 1, day = 1;
    int hour = 0, minute = 0, second = 0, microsecond = 0;
    bool has_time = true;  // false for a plain date

    std::int64_t epoch_micros() const;  // as if UTC
};

class Value;

std::optional<DateTime> parse_iso_datetime(std::string_view s);
std::optional<DateTime> to_datetime(const Value& v);
DateTime now_utc();

// Django's dateformat.format; throws TemplateRenderError when a date-only
// value meets a time specifier, as Django raises TypeError.
std::string format_datetime(const DateTime& dt, std::string_view format);
// Django's TimeFormat: only time letters; nullopt if a date letter appears.
std::optional<std::string> format_time(const DateTime& dt, std::string_view format);
// Resolves named formats such as "DATE_FORMAT" or "SHORT_DATE_FORMAT".
std::string_view named_format(std::string_view name_or_format);

// Django's timesince (depth 2), with non-breaking spaces inside each part.
std::string timesince(const DateTime& d, const DateTime& now, bool reversed);

}  // namespace famigo::web::tmpl
