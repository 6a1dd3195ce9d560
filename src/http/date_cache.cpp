#include "http/date_cache.hpp"

#include <cstdio>

namespace famigo::http {

size_t format_http_date(std::time_t t, char* out) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm utc{};
    gmtime_r(&t, &utc);
    int n = std::snprintf(out, 30, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[utc.tm_wday],
                          utc.tm_mday, months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour,
                          utc.tm_min, utc.tm_sec);
    return n > 0 ? size_t(n) : 0;
}

std::string_view DateCache::now() {
    std::time_t t = std::time(nullptr);
    if (t != second_) {
        second_ = t;
        size_ = format_http_date(t, text_);
    }
    return {text_, size_};
}

}  // namespace famigo::http
