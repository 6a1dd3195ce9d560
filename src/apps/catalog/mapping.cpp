#include "apps/catalog/mapping.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/encoding.hpp"
#include "core/strings.hpp"
#include "docstore/errors.hpp"
#include "docstore/value.hpp"

namespace famigo::apps::catalog {
namespace {

// The fields each kind reads, by header name, in the order map_row uses them.
enum PlayField {
    P_APP,
    P_CATEGORY,
    P_RATING,
    P_REVIEWS,
    P_SIZE,
    P_INSTALLS,
    P_TYPE,
    P_PRICE,
    P_CONTENT,
    P_GENRES,
    P_UPDATED,
    P_VERSION
};
const std::vector<std::string_view> kPlayColumns = {
    "App",  "Category", "Rating",         "Reviews", "Size",         "Installs",
    "Type", "Price",    "Content Rating", "Genres",  "Last Updated", "Current Ver"};
enum IosField {
    I_ID,
    I_NAME,
    I_SIZE,
    I_CURRENCY,
    I_PRICE,
    I_COUNT,
    I_RATING,
    I_VERSION,
    I_CONTENT,
    I_GENRE
};
const std::vector<std::string_view> kIosColumns = {
    "id",          "track_name", "size_bytes",  "currency",   "price", "rating_count_tot",
    "user_rating", "ver",        "cont_rating", "prime_genre"};

// pandas writes a missing value as NaN.
bool missing(std::string_view text) {
    text = strings::trim(text);
    return text.empty() || text == "NaN";
}

std::string quoted(std::string_view text) {
    std::string out(1, '\'');
    out.append(strings::trim(text));
    out.push_back('\'');
    return out;
}

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Runs of ASCII letters and digits, lower-cased, joined by '-', at most `max` characters.
std::string slug_words(std::string_view text, std::size_t max) {
    std::string out;
    bool dash = false;
    for (char c : text) {
        if (!is_alnum(c)) {
            dash = !out.empty();
            continue;
        }
        if (dash) {
            if (out.size() + 2 > max) break;
            out.push_back('-');
            dash = false;
        }
        if (out.size() + 1 > max) break;
        out.push_back(strings::ascii_lower(c));
    }
    return out;
}

bool has_letter(std::string_view text) {
    for (char c : text)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return false;
}

std::string url_encode(std::string_view text) {
    std::string out;
    encoding::append_percent_encoded(out, text, {}, encoding::Space::plus);
    return out;
}

std::optional<std::int64_t> parse_count(std::string_view text) {
    auto n = strings::parse_u64(strings::trim(text));
    if (!n || *n > std::uint64_t(INT64_MAX)) return std::nullopt;
    return std::int64_t(*n);
}

// A 0-5 store rating; missing (NaN) is 0, meaning none.
void map_rating(std::string_view text, App& app, std::vector<std::string>& problems) {
    if (missing(text)) return;
    auto value = parse_number(text);
    if (!value)
        problems.push_back("rating " + quoted(text) + " is not a number");
    else if (*value > 5)
        problems.push_back("rating " + std::string(strings::trim(text)) + " is above 5");
    else if (*value < 0)
        problems.push_back("rating " + std::string(strings::trim(text)) + " is below 0");
    else
        app.rating = *value;
}

void map_count(std::string_view name, std::string_view text, std::int64_t& out,
               std::vector<std::string>& problems) {
    if (missing(text)) return;
    if (auto n = parse_count(text))
        out = *n;
    else
        problems.push_back(std::string(name) + " " + quoted(text) + " is not a whole number");
}

std::string text_or_empty(std::string_view text) {
    return missing(text) ? std::string() : std::string(strings::trim(text));
}

void map_play(const std::vector<std::string_view>& f, App& app,
              std::vector<std::string>& problems) {
    app.platform = "android";
    app.source_id = "gp:" + std::string(f[P_APP]);
    app.title = std::string(strings::trim(f[P_APP]));
    if (app.title.empty()) problems.push_back("the title (App) is missing");
    app.store_url = "https://play.google.com/store/search?q=" + url_encode(app.title) + "&c=apps";
    if (!missing(f[P_CATEGORY])) {
        if (!has_letter(f[P_CATEGORY]))
            problems.push_back("category " + quoted(f[P_CATEGORY]) + " is not a category name");
        else
            app.category = slug_words(f[P_CATEGORY], 60);
    }
    map_rating(f[P_RATING], app, problems);
    map_count("reviews", f[P_REVIEWS], app.rating_count, problems);
    if (!missing(f[P_SIZE])) {
        if (auto size = parse_play_size(f[P_SIZE]))
            app.size_bytes = *size;
        else
            problems.push_back("size " + quoted(f[P_SIZE]) + " is not a size");
    }
    if (!missing(f[P_INSTALLS])) {
        if (auto n = parse_installs(f[P_INSTALLS]))
            app.installs = *n;
        else
            problems.push_back("installs " + quoted(f[P_INSTALLS]) + " is not an install count");
    }
    auto type = strings::trim(f[P_TYPE]);
    if (!missing(type) && type != "Free" && type != "Paid")
        problems.push_back("type " + quoted(type) + " is neither Free nor Paid");
    if (missing(f[P_PRICE])) {
        problems.push_back("the price is missing");
    } else if (auto price = parse_price(f[P_PRICE])) {
        app.price = *price;
    } else {
        problems.push_back("price " + quoted(f[P_PRICE]) + " is not a price");
    }
    app.free = type == "Free" || app.price == 0;
    app.content_rating = text_or_empty(f[P_CONTENT]);
    for (auto genre : strings::split(f[P_GENRES], ';'))
        if (!missing(genre)) app.genres.emplace_back(strings::trim(genre));
    if (!missing(f[P_UPDATED])) {
        if (auto date = parse_play_date(f[P_UPDATED]))
            app.last_updated = *date;
        else
            problems.push_back("last updated " + quoted(f[P_UPDATED]) + " is not a date");
    }
    app.version = text_or_empty(f[P_VERSION]);
}

void map_ios(const std::vector<std::string_view>& f, App& app, std::vector<std::string>& problems) {
    app.platform = "ios";
    auto id = strings::trim(f[I_ID]);
    if (!strings::parse_u64(id)) problems.push_back("id " + quoted(id) + " is not an App Store id");
    app.store_id = std::string(id);
    app.source_id = "ios:" + app.store_id;
    app.store_url = "https://apps.apple.com/app/id" + app.store_id;
    app.title = std::string(strings::trim(f[I_NAME]));
    if (app.title.empty()) problems.push_back("the title (track_name) is missing");
    if (!missing(f[I_SIZE])) {
        std::int64_t size = 0;
        map_count("size_bytes", f[I_SIZE], size, problems);
        app.size_bytes = size;
    }
    if (!missing(f[I_CURRENCY])) app.currency = std::string(strings::trim(f[I_CURRENCY]));
    if (auto price = parse_number(f[I_PRICE]); price && *price >= 0)
        app.price = *price;
    else
        problems.push_back("price " + quoted(f[I_PRICE]) + " is not a price");
    app.free = app.price == 0;
    map_count("rating_count_tot", f[I_COUNT], app.rating_count, problems);
    map_rating(f[I_RATING], app, problems);
    app.version = text_or_empty(f[I_VERSION]);
    app.content_rating = text_or_empty(f[I_CONTENT]);
    if (!missing(f[I_GENRE])) {
        app.genres = {std::string(strings::trim(f[I_GENRE]))};
        app.category = slug_words(f[I_GENRE], 60);
    }
}

bool leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

std::optional<std::string> iso_date(int year, int month, int day) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1970 || year > 2100 || month < 1 || month > 12 || day < 1) return std::nullopt;
    if (day > kDays[std::size_t(month - 1)] + (month == 2 && leap(year) ? 1 : 0))
        return std::nullopt;
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
    return std::string(out);
}

// "Jan" or "January" -> 1.
int month_number(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    if (name.size() < 3) return 0;
    std::string lower = strings::to_lower(name);
    for (std::size_t i = 0; i < kMonths.size(); ++i)
        if (lower == kMonths[i] || (lower.size() == 3 && kMonths[i].substr(0, 3) == lower))
            return int(i) + 1;
    return 0;
}

std::optional<int> small_int(std::string_view text, std::size_t max_digits) {
    if (text.empty() || text.size() > max_digits) return std::nullopt;
    auto n = strings::parse_u64(text);
    if (!n) return std::nullopt;
    return int(*n);
}

}  // namespace

std::string_view kind_name(SourceKind kind) {
    return kind == SourceKind::GooglePlay ? "Google Play" : "App Store";
}

std::optional<SourceLayout> detect_layout(const std::vector<std::string>& header) {
    auto find_all =
        [&](const std::vector<std::string_view>& names) -> std::optional<std::vector<int>> {
        std::vector<int> columns;
        for (auto name : names) {
            int found = -1;
            for (std::size_t i = 0; i < header.size(); ++i)
                if (strings::trim(header[i]) == name) found = int(i);
            if (found < 0) return std::nullopt;
            columns.push_back(found);
        }
        return columns;
    };
    if (auto columns = find_all(kPlayColumns))
        return SourceLayout{SourceKind::GooglePlay, std::move(*columns), header.size()};
    if (auto columns = find_all(kIosColumns))
        return SourceLayout{SourceKind::AppStore, std::move(*columns), header.size()};
    return std::nullopt;
}

Mapped map_row(const SourceLayout& layout, const std::vector<std::string>& row) {
    Mapped out;
    if (row.size() != layout.header_fields)
        out.problems.push_back(std::to_string(row.size()) + " fields where the header has " +
                               std::to_string(layout.header_fields));
    std::vector<std::string_view> fields;
    for (int column : layout.columns)
        fields.push_back(std::size_t(column) < row.size()
                             ? std::string_view(row[std::size_t(column)])
                             : std::string_view());
    if (layout.kind == SourceKind::GooglePlay)
        map_play(fields, out.app, out.problems);
    else
        map_ios(fields, out.app, out.problems);
    out.app.title_key = title_key(out.app.title);
    out.app.age_band = age_band_for(out.app.content_rating);
    if (out.problems.empty()) {
        // The model's own rules; a placeholder slug stands for the one the importer picks.
        out.app.slug = "x";
        try {
            App::model().info().validate(App::model().to_document(out.app));
        } catch (const docstore::ValidationError& e) {
            out.problems.push_back(e.what());
        }
        out.app.slug.clear();
    }
    return out;
}

const std::vector<AgeBandRule>& age_band_table() {
    static const std::vector<AgeBandRule> table = {
        {"Everyone", "0-5"},   {"4+", "0-5"},   {"Everyone 10+", "9-12"},
        {"9+", "9-12"},        {"Teen", "13+"}, {"12+", "13+"},
        {"Mature 17+", "13+"}, {"17+", "13+"},  {"Adults only 18+", "13+"},
        {"Unrated", ""},       {"", ""},
    };
    return table;
}

std::string age_band_for(std::string_view content_rating) {
    content_rating = strings::trim(content_rating);
    for (const auto& rule : age_band_table())
        if (rule.content_rating == content_rating) return std::string(rule.age_band);
    return "";
}

std::string slugify(std::string_view title) {
    std::string slug = slug_words(title, 80);
    return has_letter(slug) ? slug : "app";
}

std::string title_key(std::string_view title) {
    std::string folded = docstore::fold_case(title);
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        char c = folded[i];
        std::size_t width = 0;  // bytes of a whitespace character starting here
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            width = 1;
        else if (folded.compare(i, 2, "\xC2\xA0") == 0)  // no-break space
            width = 2;
        else if (folded.compare(i, 3, "\xE3\x80\x80") == 0)  // ideographic space
            width = 3;
        if (width) {
            space = !out.empty();
            i += width - 1;
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

std::optional<double> parse_number(std::string_view text) {
    text = strings::trim(text);
    if (text.empty() || text.front() == '+') return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_installs(std::string_view text) {
    text = strings::trim(text);
    if (!text.empty() && text.back() == '+') text.remove_suffix(1);
    std::string digits;
    for (char c : text)
        if (c != ',') digits.push_back(c);
    return parse_count(digits);
}

std::optional<std::optional<std::int64_t>> parse_play_size(std::string_view text) {
    text = strings::trim(text);
    if (strings::iequals(text, "Varies with device")) return std::optional<std::int64_t>();
    double unit = 1;
    if (!text.empty() && (text.back() == 'M' || text.back() == 'm'))
        unit = 1024.0 * 1024.0;
    else if (!text.empty() && (text.back() == 'k' || text.back() == 'K'))
        unit = 1024.0;
    else if (!text.empty() && (text.back() == 'G' || text.back() == 'g'))
        unit = 1024.0 * 1024.0 * 1024.0;
    if (unit != 1) text.remove_suffix(1);
    auto value = parse_number(text);
    if (!value || *value < 0 || *value * unit > 1e15) return std::nullopt;
    return std::optional<std::int64_t>(std::llround(*value * unit));
}

std::optional<double> parse_price(std::string_view text) {
    text = strings::trim(text);
    if (!text.empty() && text.front() == '$') text.remove_prefix(1);
    auto value = parse_number(text);
    if (!value || *value < 0) return std::nullopt;
    return value;
}

std::optional<std::string> parse_play_date(std::string_view text) {
    text = strings::trim(text);
    // "7-Jan-18"
    auto dashed = strings::split(text, '-');
    if (dashed.size() == 3) {
        auto day = small_int(dashed[0], 2);
        int month = month_number(dashed[1]);
        auto year = small_int(dashed[2], 4);
        if (!day || !month || !year || (dashed[2].size() != 2 && dashed[2].size() != 4))
            return std::nullopt;
        return iso_date(dashed[2].size() == 2 ? 2000 + *year : *year, month, *day);
    }
    // "January 7, 2018"
    auto words = strings::split(text, ' ');
    if (words.size() == 3 && words[1].size() >= 2 && words[1].back() == ',') {
        int month = month_number(words[0]);
        auto day = small_int(words[1].substr(0, words[1].size() - 1), 2);
        auto year = small_int(words[2], 4);
        if (!month || !day || !year || words[2].size() != 4) return std::nullopt;
        return iso_date(*year, month, *day);
    }
    return std::nullopt;
}

}  // namespace famigo::apps::catalog
