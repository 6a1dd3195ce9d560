#include "assets/css_rewrite.hpp"

#include <vector>

#include "assets/digest.hpp"
#include "assets/path_safety.hpp"
#include "core/encoding.hpp"
#include "core/strings.hpp"

namespace famigo::assets {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

size_t skip_space(std::string_view text, size_t i) {
    while (i < text.size() && is_space(text[i])) ++i;
    return i;
}

// Index of the closing quote of a string opening at `open`, or npos.
size_t string_end(std::string_view text, size_t open) {
    char quote = text[open];
    for (size_t i = open + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == quote)
            return i;
        else if (text[i] == '\n')
            return std::string_view::npos;  // unterminated
    }
    return std::string_view::npos;
}

bool has_scheme(std::string_view reference) {
    if (reference.empty() || !((reference[0] >= 'a' && reference[0] <= 'z') ||
                               (reference[0] >= 'A' && reference[0] <= 'Z')))
        return false;
    for (char c : reference) {
        if (c == ':') return true;
        bool scheme_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        if (!scheme_char) return false;
    }
    return false;
}

struct Found {
    size_t value_begin, value_end;  // the reference, without quotes
    size_t end;                     // first index after the construct
};

// url( ... ) starting at `i` (which points at 'u'); nullopt if malformed.
std::optional<Found> parse_url(std::string_view css, size_t i) {
    size_t j = skip_space(css, i + 4);
    if (j >= css.size()) return std::nullopt;
    Found found{};
    if (css[j] == '"' || css[j] == '\'') {
        size_t close = string_end(css, j);
        if (close == std::string_view::npos) return std::nullopt;
        found.value_begin = j + 1;
        found.value_end = close;
        j = close + 1;
    } else {
        size_t k = j;
        while (k < css.size() && css[k] != ')' && !is_space(css[k]) && css[k] != '"' &&
               css[k] != '\'' && css[k] != '(')
            ++k;
        found.value_begin = j;
        found.value_end = k;
        j = k;
    }
    j = skip_space(css, j);
    if (j >= css.size() || css[j] != ')') return std::nullopt;
    found.end = j + 1;
    return found;
}

}  // namespace

std::string rewrite_css(std::string_view css, const ReferenceRewriter& rewrite) {
    std::string out;
    out.reserve(css.size() + 256);
    size_t copied = 0;  // css[copied, i) is still to be appended
    auto replace = [&](const Found& found) {
        std::string_view value = css.substr(found.value_begin, found.value_end - found.value_begin);
        std::optional<std::string> replacement;
        if (value.find('\\') == std::string_view::npos) replacement = rewrite(value);
        if (replacement) {
            out.append(css.substr(copied, found.value_begin - copied));
            out.append(*replacement);
            copied = found.value_end;
        }
    };

    size_t i = 0;
    while (i < css.size()) {
        char c = css[i];
        if (c == '/' && i + 1 < css.size() && css[i + 1] == '*') {
            size_t close = css.find("*/", i + 2);
            i = close == std::string_view::npos ? css.size() : close + 2;
        } else if (c == '"' || c == '\'') {
            size_t close = string_end(css, i);
            i = close == std::string_view::npos ? css.size() : close + 1;
        } else if ((c == 'u' || c == 'U') && strings::istarts_with(css.substr(i), "url(") &&
                   (i == 0 || !is_ident_char(css[i - 1]))) {
            auto found = parse_url(css, i);
            if (!found) {
                i += 4;
                continue;
            }
            replace(*found);
            i = found->end;
        } else if (c == '@' && strings::istarts_with(css.substr(i), "@import")) {
            size_t j = skip_space(css, i + 7);
            if (j < css.size() && (css[j] == '"' || css[j] == '\'')) {
                size_t close = string_end(css, j);
                if (close == std::string_view::npos) {
                    i = css.size();
                    continue;
                }
                replace(Found{j + 1, close, close + 1});
                i = close + 1;
            } else {
                i = j;  // url(...) or garbage: the loop handles what follows
            }
        } else {
            ++i;
        }
    }
    out.append(css.substr(copied));
    return out;
}

std::optional<std::string> reference_target(std::string_view css_name, std::string_view reference,
                                            std::string_view static_url) {
    reference = strings::trim(reference);
    if (reference.empty() || reference.front() == '#' || reference.starts_with("//") ||
        has_scheme(reference))
        return std::nullopt;
    std::string_view path = reference.substr(0, reference.find_first_of("?#"));
    if (path.empty() || path.back() == '/') return std::nullopt;

    std::string decoded;
    if (!encoding::percent_decode(path, decoded)) return std::nullopt;

    std::vector<std::string_view> segments;
    std::string_view rest(decoded);
    if (rest.front() == '/') {
        if (!rest.starts_with(static_url) || static_url.empty() || static_url.back() != '/')
            return std::nullopt;
        rest.remove_prefix(static_url.size());
    } else {
        size_t slash = css_name.rfind('/');
        if (slash != std::string_view::npos)
            for (std::string_view segment : strings::split(css_name.substr(0, slash), '/'))
                segments.push_back(segment);
    }
    for (std::string_view segment : strings::split(rest, '/')) {
        if (segment == ".") continue;
        if (segment == "..") {
            if (segments.empty()) return std::nullopt;  // above the static root
            segments.pop_back();
            continue;
        }
        if (segment.empty()) return std::nullopt;
        segments.push_back(segment);
    }
    std::string target;
    for (std::string_view segment : segments) {
        if (!target.empty()) target += '/';
        target.append(segment);
    }
    if (!is_safe_logical_name(target)) return std::nullopt;
    return target;
}

std::string fingerprint_reference(std::string_view reference, std::string_view hash_hex) {
    std::string_view fingerprint = hash_hex.substr(0, kFingerprintHexDigits);
    size_t path_end = reference.find_first_of("?#");
    if (path_end == std::string_view::npos) path_end = reference.size();
    size_t segment_begin = reference.rfind('/', path_end == 0 ? 0 : path_end - 1);
    segment_begin = segment_begin == std::string_view::npos ? 0 : segment_begin + 1;
    size_t dot = reference.substr(0, path_end).rfind('.');
    size_t insert_at = (dot == std::string_view::npos || dot <= segment_begin) ? path_end : dot;
    std::string out;
    out.reserve(reference.size() + fingerprint.size() + 1);
    out.append(reference.substr(0, insert_at)).append(".").append(fingerprint);
    out.append(reference.substr(insert_at));
    return out;
}

}  // namespace famigo::assets
