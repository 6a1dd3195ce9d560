#include "apps/catalog/query.hpp"

#include <charconv>

#include "apps/catalog/mapping.hpp"
#include "apps/catalog/models.hpp"
#include "assets/path_safety.hpp"
#include "core/encoding.hpp"
#include "core/strings.hpp"
#include "docstore/value.hpp"
#include "web/security/form_data.hpp"

namespace famigo::apps::catalog {
namespace {

using docstore::Document;
using docstore::field;

const std::vector<std::string> kSorts = {"rating", "installs", "newest", "title"};
const std::vector<std::string> kBooleans = {"1", "0", "true", "false"};

bool is_one_of(std::string_view value, const std::vector<std::string>& allowed) {
    for (const auto& a : allowed)
        if (a == value) return true;
    return false;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
    return out;
}

std::string pick(std::string_view name, std::string_view value,
                 const std::vector<std::string>& allowed) {
    if (!is_one_of(value, allowed))
        throw BadParameter(std::string(name), "'" + std::string(name) + "' must be one of " +
                                                  joined(allowed) + " (got '" + std::string(value) +
                                                  "')");
    return std::string(value);
}

bool boolean(std::string_view name, std::string_view value) {
    return pick(name, value, kBooleans) == "1" || value == "true";
}

std::int64_t integer(std::string_view name, std::string_view value, std::int64_t lo,
                     std::int64_t hi) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size())
        throw BadParameter(std::string(name), "'" + std::string(name) +
                                                  "' must be a whole number (got '" +
                                                  std::string(value) + "')");
    if (n < lo || n > hi)
        throw BadParameter(std::string(name),
                           "'" + std::string(name) + "' must be between " + std::to_string(lo) +
                               " and " + std::to_string(hi) + " (got " + std::to_string(n) + ")");
    return n;
}

void append_param(std::string& out, std::string_view name, std::string_view value) {
    out += out.empty() ? "" : "&";
    out += name;
    out += '=';
    encoding::append_percent_encoded(out, value, {}, encoding::Space::plus);
}

constexpr std::size_t kMaxPrefix = 100;

// A title prefix (q, term), counted in characters as the form's maxlength and
// the OpenAPI maxLength count them.
const std::string& prefix_text(std::string_view name, const std::string& value) {
    if (strings::utf8_length(value) > kMaxPrefix)
        throw BadParameter(std::string(name), "'" + std::string(name) + "' is longer than " +
                                                  std::to_string(kMaxPrefix) + " characters");
    return value;
}

// The form parser turns bytes that are not UTF-8 into U+FFFD; text that
// people search must be UTF-8 as sent, so the raw values of `name` are
// checked first: 400 naming the field rather than a search for "caf\uFFFD".
void require_utf8_parameter(std::string_view query_string, std::string_view name) {
    for (std::string_view rest = query_string; !rest.empty();) {
        std::size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
        std::string raw(pair.substr(eq + 1)), decoded;
        for (char& c : raw)
            if (c == '+') c = ' ';
        // A malformed escape is the form parser's 400.
        if (encoding::percent_decode(raw, decoded) && !assets::is_valid_utf8(decoded))
            throw BadParameter(std::string(name), "'" + std::string(name) + "' is not UTF-8 text");
    }
}

web::security::FormData parse_query(std::string_view query_string) {
    try {
        return web::security::parse_urlencoded(query_string, web::security::FormLimits{});
    } catch (const web::security::BadForm& e) {
        throw BadParameter("", std::string("malformed query string: ") + e.what());
    }
}

}  // namespace

// Rows leave the trailing bounds and defaults out where they have none.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const std::vector<ParameterSpec>& listing_parameters() {
    static const std::vector<ParameterSpec> specs = {
        {"platform", "string", kPlatforms, "Only apps for this platform."},
        {"age", "string", kAgeBands,
         "Only apps suitable for this age band: rated for it or for younger children."},
        {"price", "string", {"free", "paid"}, "Only free or only paid apps."},
        {"category", "string", {}, "Only apps of this category slug (e.g. education, games)."},
        {"no_ads", "boolean", kBooleans, "1: only apps reviewed as showing no ads."},
        {"no_iap", "boolean", kBooleans, "1: only apps reviewed as having no in-app purchases."},
        {"approved", "boolean", kBooleans, "1: only Famigo APProved apps."},
        {"q", "string", {}, "Title prefix (case-insensitive), at most 100 characters."},
        {"sort",
         "string",
         kSorts,
         "rating (highest first), installs (most first), newest (last updated first) or title "
         "(A-Z).",
         {},
         {},
         {},
         "rating"},
        {"page", "integer", {}, "Page number, from 1.", 1, 100000, 1},
        {"per_page", "integer", {}, "Apps per page.", 1, kMaxPerPage, 20},
    };
    return specs;
}
#pragma GCC diagnostic pop

ListingQuery parse_listing_query(std::string_view query_string) {
    web::security::FormData params = parse_query(query_string);
    ListingQuery query;
    for (const auto& [name, value] : params.fields()) {
        if (value.empty()) continue;  // an empty form field means "any"
        if (name == "platform")
            query.platform = pick(name, value, kPlatforms);
        else if (name == "age")
            query.age = pick(name, value, kAgeBands);
        else if (name == "price")
            query.price = pick(name, value, {"free", "paid"});
        else if (name == "category") {
            bool ok = value.size() <= 60;
            for (char c : value)
                ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
            if (!ok)
                throw BadParameter(name, "'category' must be a category slug such as 'education'");
            query.category = value;
        } else if (name == "no_ads")
            query.no_ads = boolean(name, value);
        else if (name == "no_iap")
            query.no_iap = boolean(name, value);
        else if (name == "approved")
            query.approved = boolean(name, value);
        else if (name == "q") {
            query.q = prefix_text(name, value);
        } else if (name == "sort")
            query.sort = pick(name, value, kSorts);
        else if (name == "page")
            query.page = integer(name, value, 1, 100000);
        else if (name == "per_page")
            query.per_page = integer(name, value, 1, kMaxPerPage);
    }
    return query;
}

std::string ListingQuery::query_string(std::int64_t for_page) const {
    std::string out;
    if (!platform.empty()) append_param(out, "platform", platform);
    if (!age.empty()) append_param(out, "age", age);
    if (!price.empty()) append_param(out, "price", price);
    if (!category.empty()) append_param(out, "category", category);
    if (no_ads) append_param(out, "no_ads", "1");
    if (no_iap) append_param(out, "no_iap", "1");
    if (approved) append_param(out, "approved", "1");
    if (!q.empty()) append_param(out, "q", q);
    if (sort != "rating") append_param(out, "sort", sort);
    if (per_page != 20) append_param(out, "per_page", std::to_string(per_page));
    if (for_page != 1) append_param(out, "page", std::to_string(for_page));
    return out;
}

SearchQuery parse_search_query(std::string_view query_string) {
    web::security::FormData params = parse_query(query_string);
    require_utf8_parameter(query_string, "q");
    SearchQuery search;
    std::string rest;  // everything but q and sort, for the listing parser
    for (const auto& [name, value] : params.fields()) {
        if (name == "q") {
            if (strings::utf8_length(value) > kMaxSearchText)
                throw BadParameter(
                    "q", "'q' is longer than " + std::to_string(kMaxSearchText) + " characters");
            search.q = value;
            // Control characters (a pasted tab, a stray escape) are word breaks.
            for (char& c : search.q)
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
        } else if (name == "sort") {
            if (!value.empty()) search.sort = pick(name, value, kSearchSorts);
        } else {
            append_param(rest, name, value);
        }
    }
    search.filters = parse_listing_query(rest);
    return search;
}

std::string SearchQuery::query_string(std::int64_t for_page) const {
    std::string out;
    if (!q.empty()) append_param(out, "q", q);
    std::string listing = filters.query_string(for_page);
    if (!listing.empty()) out += (out.empty() ? "" : "&") + listing;
    if (sort != "relevance") append_param(out, "sort", sort);
    return out;
}

bool search_cache_query(std::string_view query_string, std::string& canonical) {
    try {
        SearchQuery query = parse_search_query(query_string);
        canonical = query.query_string(query.filters.page);
        return true;
    } catch (const BadParameter&) {
        return false;
    }
}

std::string parse_term(std::string_view query_string) {
    auto params = parse_query(query_string);
    require_utf8_parameter(query_string, "term");
    return prefix_text("term", std::string(params.get("term").value_or("")));
}

bool listing_cache_query(std::string_view query_string, std::string& canonical) {
    try {
        ListingQuery query = parse_listing_query(query_string);
        canonical = query.query_string(query.page);
        return true;
    } catch (const BadParameter&) {
        return false;  // the view answers 400; nothing is stored
    }
}

bool page_cache_query(std::string_view query_string, std::string& canonical) {
    try {
        std::int64_t page = parse_listing_query(query_string).page;
        canonical.clear();
        if (page != 1) append_param(canonical, "page", std::to_string(page));
        return true;
    } catch (const BadParameter&) {
        return false;
    }
}

bool term_cache_query(std::string_view query_string, std::string& canonical) {
    try {
        std::string term = parse_term(query_string);
        canonical.clear();
        append_param(canonical, "term", term);
        return true;
    } catch (const BadParameter&) {
        return false;
    }
}

docstore::Filter listing_filter(const ListingQuery& query) {
    docstore::Filter filter = field("published") == true;
    if (!query.platform.empty()) filter = filter && field("platform") == query.platform;
    if (!query.age.empty()) {
        std::vector<Document> bands;
        for (const auto& band : kAgeBands) {
            bands.emplace_back(band);
            if (band == query.age) break;
        }
        filter = filter && field("age_band").in(std::move(bands));
    }
    if (query.price == "free") filter = filter && field("free") == true;
    if (query.price == "paid") filter = filter && field("free") == false;
    if (!query.category.empty()) filter = filter && field("category") == query.category;
    if (query.no_ads) filter = filter && field("descriptors.ads") == "no";
    if (query.no_iap) filter = filter && field("descriptors.in_app_purchases") == "no";
    if (query.approved) filter = filter && field("approved") == true;
    if (!query.q.empty()) filter = filter && title_prefix_filter(query.q);
    return filter;
}

std::string listing_order(const ListingQuery& query) {
    if (query.sort == "installs") return "-installs,-rating_count,title_key";
    if (query.sort == "newest") return "-last_updated,title_key";
    if (query.sort == "title") return "title_key";
    return "-rating,-rating_count,title_key";
}

docstore::Filter title_prefix_filter(std::string_view prefix) {
    std::string low = title_key(prefix);  // folded as the importer folds titles
    // Every string starting with `low` sorts in [low, low + U+10FFFF): a range
    // the title_key index answers without a scan.
    std::string high = low + "\xF4\x8F\xBF\xBF";
    return field("title_key") >= low && field("title_key") < high;
}

}  // namespace famigo::apps::catalog
