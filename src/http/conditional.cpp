#include "http/conditional.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include "core/strings.hpp"

namespace famigo::http {
namespace {

constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    auto year_of_era = unsigned(year - era * 400);
    unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + std::int64_t(day_of_era) - 719468;
}

// A cursor over a date string; every reader fails the whole parse on a mismatch.
struct Scanner {
    std::string_view text;
    bool ok = true;

    bool literal(std::string_view expected) {
        if (!ok || !text.starts_with(expected)) return ok = false;
        text.remove_prefix(expected.size());
        return true;
    }
    int number(size_t min_digits, size_t max_digits) {
        size_t n = 0;
        int value = 0;
        while (n < max_digits && n < text.size() && text[n] >= '0' && text[n] <= '9')
            value = value * 10 + (text[n++] - '0');
        if (!ok || n < min_digits) {
            ok = false;
            return 0;
        }
        text.remove_prefix(n);
        return value;
    }
    int month() {
        for (size_t i = 0; ok && i < kMonths.size(); ++i)
            if (text.starts_with(kMonths[i])) {
                text.remove_prefix(3);
                return int(i) + 1;
            }
        ok = false;
        return 0;
    }
    void time(int& h, int& m, int& s) {
        h = number(2, 2);
        literal(":");
        m = number(2, 2);
        literal(":");
        s = number(2, 2);
    }
};

std::optional<std::int64_t> to_unix(int year, int month, int day, int h, int m, int s) {
    if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60)
        return std::nullopt;
    return days_from_civil(year, unsigned(month), unsigned(day)) * 86400 + h * 3600 + m * 60 + s;
}

std::optional<std::uint64_t> parse_digits(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        // Saturate: "bytes=0-99999999999999999999" means "to the end".
        value = value > (UINT64_MAX - 9) / 10 ? UINT64_MAX : value * 10 + std::uint64_t(c - '0');
    }
    return value;
}

// Visits each entity-tag of a list; `visit(opaque, weak)` returns true to stop.
// Returns false if the list is malformed before a visit stopped it.
template <typename Visit>
bool for_each_etag(std::string_view list, Visit visit) {
    while (true) {
        while (!list.empty() &&
               (list.front() == ' ' || list.front() == '\t' || list.front() == ','))
            list.remove_prefix(1);
        if (list.empty()) return true;
        bool weak = false;
        if (list.starts_with("W/")) {
            weak = true;
            list.remove_prefix(2);
        }
        if (list.empty() || list.front() != '"') return false;
        size_t close = list.find('"', 1);
        if (close == std::string_view::npos) return false;
        if (visit(list.substr(1, close - 1), weak)) return true;
        list.remove_prefix(close + 1);
    }
}

std::string_view opaque_of(std::string_view etag, bool& weak) {
    weak = etag.starts_with("W/");
    if (weak) etag.remove_prefix(2);
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')
        etag = etag.substr(1, etag.size() - 2);
    return etag;
}

// q-value: "0", "0.5", "1", "1.000". nullopt when malformed.
std::optional<int> parse_qvalue(std::string_view text) {
    text = strings::trim(text);
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
    int thousandths = (text[0] - '0') * 1000;
    if (text.size() == 1) return thousandths;
    if (text[1] != '.' || text.size() > 5) return std::nullopt;
    int scale = 100;
    for (char c : text.substr(2)) {
        if (c < '0' || c > '9') return std::nullopt;
        thousandths += (c - '0') * scale;
        scale /= 10;
    }
    return thousandths > 1000 ? std::nullopt : std::optional<int>(thousandths);
}

}  // namespace

std::string http_date(std::int64_t unix_seconds) {
    std::time_t t = std::time_t(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    // Written by hand rather than strftime so the process locale cannot change it.
    char out[32];
    int n = std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          kDays[size_t(tm.tm_wday)].data(), tm.tm_mday,
                          kMonths[size_t(tm.tm_mon)].data(), tm.tm_year + 1900, tm.tm_hour,
                          tm.tm_min, tm.tm_sec);
    return std::string(out, size_t(n));
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
    text = strings::trim(text);
    size_t comma = text.find(',');
    int year, month, day, h, m, s;
    if (comma == 3) {  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        Scanner in{text.substr(4)};
        in.literal(" ");
        day = in.number(2, 2);
        in.literal(" ");
        month = in.month();
        in.literal(" ");
        year = in.number(4, 4);
        in.literal(" ");
        in.time(h, m, s);
        in.literal(" GMT");
        if (!in.ok || !in.text.empty()) return std::nullopt;
    } else if (comma != std::string_view::npos) {  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        Scanner in{text.substr(comma + 1)};
        in.literal(" ");
        day = in.number(2, 2);
        in.literal("-");
        month = in.month();
        in.literal("-");
        year = in.number(2, 2);
        in.literal(" ");
        in.time(h, m, s);
        in.literal(" GMT");
        if (!in.ok || !in.text.empty()) return std::nullopt;
        // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
        year += year < 70 ? 2000 : 1900;
    } else {  // asctime: Sun Nov  6 08:49:37 1994
        if (text.size() < 4) return std::nullopt;
        Scanner in{text.substr(4)};
        month = in.month();
        in.literal(" ");
        if (!in.text.empty() && in.text.front() == ' ') in.text.remove_prefix(1);
        day = in.number(1, 2);
        in.literal(" ");
        in.time(h, m, s);
        in.literal(" ");
        year = in.number(4, 4);
        if (!in.ok || !in.text.empty()) return std::nullopt;
    }
    return to_unix(year, month, day, h, m, s);
}

bool etag_matches_weak(std::string_view list, std::string_view etag) {
    if (strings::trim(list) == "*") return true;
    bool ignored;
    std::string_view ours = opaque_of(etag, ignored);
    bool found = false;
    for_each_etag(list, [&](std::string_view opaque, bool) { return found = opaque == ours; });
    return found;
}

bool etag_matches_strong(std::string_view list, std::string_view etag) {
    if (strings::trim(list) == "*") return true;
    bool our_weak;
    std::string_view ours = opaque_of(etag, our_weak);
    if (our_weak) return false;
    bool found = false;
    for_each_etag(
        list, [&](std::string_view opaque, bool weak) { return found = !weak && opaque == ours; });
    return found;
}

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
    RangeRequest ignore;
    header = strings::trim(header);
    if (!strings::istarts_with(header, "bytes=")) return ignore;
    std::string_view spec = strings::trim(header.substr(6));
    if (spec.find(',') != std::string_view::npos) return ignore;  // several ranges: send it all
    size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return ignore;
    std::string_view first_text = strings::trim(spec.substr(0, dash));
    std::string_view last_text = strings::trim(spec.substr(dash + 1));

    RangeRequest result;
    if (first_text.empty()) {  // suffix: the last n bytes
        auto suffix = parse_digits(last_text);
        if (!suffix) return ignore;
        if (*suffix == 0 || size == 0) {
            result.kind = RangeRequest::Kind::Unsatisfiable;
            return result;
        }
        result.length = std::min(*suffix, size);
        result.offset = size - result.length;
        result.kind = RangeRequest::Kind::Satisfiable;
        return result;
    }
    auto first = parse_digits(first_text);
    if (!first) return ignore;
    std::uint64_t last = UINT64_MAX;
    if (!last_text.empty()) {
        auto parsed = parse_digits(last_text);
        if (!parsed || *parsed < *first) return ignore;  // invalid: the header is ignored
        last = *parsed;
    }
    if (*first >= size) {
        result.kind = RangeRequest::Kind::Unsatisfiable;
        return result;
    }
    last = std::min(last, size - 1);
    result.kind = RangeRequest::Kind::Satisfiable;
    result.offset = *first;
    result.length = last - *first + 1;
    return result;
}

std::string_view encoding_token(Encoding encoding) {
    switch (encoding) {
        case Encoding::Gzip:
            return "gzip";
        case Encoding::Brotli:
            return "br";
        case Encoding::Identity:
            return "";
    }
    return "";
}

Encoding choose_encoding(std::optional<std::string_view> accept_encoding, bool have_brotli,
                         bool have_gzip) {
    if (!accept_encoding || (!have_brotli && !have_gzip)) return Encoding::Identity;
    // q in thousandths; -1 means "not mentioned".
    int q_br = -1, q_gzip = -1, q_identity = -1, q_any = -1;
    for (std::string_view item : strings::split(*accept_encoding, ',')) {
        item = strings::trim(item);
        if (item.empty()) continue;
        size_t semicolon = item.find(';');
        std::string_view coding = strings::trim(item.substr(0, semicolon));
        int q = 1000;
        if (semicolon != std::string_view::npos) {
            for (std::string_view param : strings::split(item.substr(semicolon + 1), ';')) {
                param = strings::trim(param);
                if (param.size() >= 2 && strings::ascii_lower(param[0]) == 'q' && param[1] == '=') {
                    auto parsed = parse_qvalue(param.substr(2));
                    q = parsed ? *parsed : -2;
                }
            }
        }
        if (q == -2) continue;  // a malformed q-value: ignore that entry
        if (strings::iequals(coding, "br"))
            q_br = q;
        else if (strings::iequals(coding, "gzip") || strings::iequals(coding, "x-gzip"))
            q_gzip = q;
        else if (strings::iequals(coding, "identity"))
            q_identity = q;
        else if (coding == "*")
            q_any = q;
    }
    if (q_br < 0) q_br = q_any;
    if (q_gzip < 0) q_gzip = q_any;
    if (!have_brotli) q_br = -1;
    if (!have_gzip) q_gzip = -1;

    Encoding best = Encoding::Identity;
    int best_q = 0;
    if (q_br > 0) {
        best = Encoding::Brotli;
        best_q = q_br;
    }
    if (q_gzip > best_q) {
        best = Encoding::Gzip;
        best_q = q_gzip;
    }
    if (best != Encoding::Identity && q_identity > best_q) return Encoding::Identity;
    return best;
}

}  // namespace famigo::http
