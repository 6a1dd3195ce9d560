// From one CSV row of a store export to an App: the file kinds (told apart by
// their header row), the field parsers ("10,000+", "19M", "$4.99", "7-Jan-18"),
// the age band table, slugs and title keys. Pure functions, no store: the
// importer (importer.hpp) adds slugs that are unique in the store and writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/catalog/models.hpp"

namespace famigo::apps::catalog {

enum class SourceKind { GooglePlay, AppStore };
std::string_view kind_name(SourceKind kind);  // "Google Play", "App Store"

// Which export a header row belongs to, with the column of each field it
// reads; nullopt for any other header.
struct SourceLayout {
    SourceKind kind;
    std::vector<int> columns;  // index into a row, per field of the kind, in kind order
    std::size_t header_fields = 0;
};
std::optional<SourceLayout> detect_layout(const std::vector<std::string>& header);

// Maps one data row (fields as read) to an App without id or slug, checked
// against the model's rules. `problems` lists why the row must be refused
// ("rating 19 is above 5", a ValidationError's message), in column order;
// empty when the row is good.
struct Mapped {
    App app;
    std::vector<std::string> problems;
};
Mapped map_row(const SourceLayout& layout, const std::vector<std::string>& row);

// Store content rating -> Famigo age band ("" when the rating says nothing).
std::string age_band_for(std::string_view content_rating);
struct AgeBandRule {
    std::string_view content_rating;
    std::string_view age_band;
};
// The one table behind age_band_for(), for documentation and tests.
const std::vector<AgeBandRule>& age_band_table();

// ASCII slug: [a-z0-9] runs joined by '-', at most 80 characters; "app" when
// the title has no ASCII letter.
std::string slugify(std::string_view title);
// Lower case (Latin, Greek, Cyrillic), whitespace runs collapsed to one space, trimmed.
std::string title_key(std::string_view title);

// Field parsers, exposed for tests. nullopt when the text does not parse.
std::optional<std::int64_t> parse_installs(std::string_view text);  // "10,000+" -> 10000
std::optional<std::optional<std::int64_t>> parse_play_size(
    std::string_view text);                                // "19M"; "Varies with device" -> none
std::optional<double> parse_price(std::string_view text);  // "$4.99", "0"
std::optional<std::string> parse_play_date(
    std::string_view text);  // "7-Jan-18", "January 7, 2018" -> "2018-01-07"
std::optional<double> parse_number(std::string_view text);  // plain decimal

}  // namespace famigo::apps::catalog
