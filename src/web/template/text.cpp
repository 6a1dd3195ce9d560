#include "web/template/text.hpp"

#include "core/encoding.hpp"

namespace famigo::web::tmpl::text {

std::vector<char32_t> decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) out.push_back(next_cp(s, i));
    return out;
}

std::string encode(const std::vector<char32_t>& cps, std::size_t from, std::size_t to) {
    std::string out;
    if (to > cps.size()) to = cps.size();
    for (std::size_t i = from; i < to; ++i) append_utf8(out, cps[i]);
    return out;
}

namespace {

// Latin Extended-A, Greek and Cyrillic pair upper/lower case by a fixed offset
// or by alternating code points; these ranges cover what catalog text uses.
bool alternating_upper(char32_t c) {
    return (c >= 0x100 && c <= 0x137 && c % 2 == 0) || (c >= 0x139 && c <= 0x148 && c % 2 == 1) ||
           (c >= 0x14A && c <= 0x177 && c % 2 == 0) || c == 0x179 || c == 0x17B || c == 0x17D;
}
bool alternating_lower(char32_t c) {
    return (c >= 0x101 && c <= 0x137 && c % 2 == 1) || (c >= 0x13A && c <= 0x148 && c % 2 == 0) ||
           (c >= 0x14B && c <= 0x177 && c % 2 == 1) || c == 0x17A || c == 0x17C || c == 0x17E;
}

}  // namespace

bool is_upper(char32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
           alternating_upper(c) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
           (c >= 0x400 && c <= 0x42F);
}

bool is_lower(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) || c == 0xB5 ||
           alternating_lower(c) || c == 0x17F || (c >= 0x3AC && c <= 0x3CE) ||
           (c >= 0x430 && c <= 0x45F);
}

bool is_cased(char32_t c) {
    return is_upper(c) || is_lower(c);
}

char32_t to_lower(char32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c < 0x80) return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (alternating_upper(c)) return c + 1;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

char32_t to_upper(char32_t c) {
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c < 0x80) return c;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c == 0xB5) return 0x39C;
    if (alternating_lower(c)) return c - 1;
    if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) return c - 32;
    if (c == 0x3C2) return 0x3A3;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}

bool is_space(char32_t c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
           c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_digit(char32_t c) {
    return c >= '0' && c <= '9';
}

bool is_alnum(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
    if (c < 0xC0) return c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0xBC || c == 0xBD || c == 0xBE;
    if (c == 0xD7 || c == 0xF7) return false;
    if (is_space(c)) return false;
    // Outside Latin-1 treat general punctuation and symbols blocks as non-word
    // and everything else (letters of other scripts, CJK...) as word characters.
    if (c >= 0x2000 && c <= 0x2BFF) return false;
    if (c >= 0x3000 && c <= 0x303F) return false;
    if (c >= 0xFE30 && c <= 0xFE4F) return false;
    if (c >= 0x1F000 && c <= 0x1FAFF) return false;
    return true;
}

bool is_word(char32_t c) {
    return c == '_' || is_alnum(c) || is_combining(c);
}

bool is_combining(char32_t c) {
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

std::string lower(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) append_utf8(out, to_lower(next_cp(s, i)));
    return out;
}

std::string upper(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = next_cp(s, i);
        if (c == 0xDF) {  // German sharp s upper-cases to "SS", as Python does
            out += "SS";
            continue;
        }
        append_utf8(out, to_upper(c));
    }
    return out;
}

std::string py_title(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool prev_cased = false;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = next_cp(s, i);
        append_utf8(out, prev_cased ? to_lower(c) : to_upper(c));
        prev_cased = is_cased(c);
    }
    return out;
}

void append_py_repr(std::string& out, std::string_view s) {
    bool has_single = s.find('\'') != std::string_view::npos;
    bool has_double = s.find('"') != std::string_view::npos;
    char quote = (has_single && !has_double) ? '"' : '\'';
    out += quote;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = next_cp(s, i);
        if (c == char32_t(quote) || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD) {
            out += "\\x";
            encoding::append_hex_number(out, c, 2);
        } else if (c == 0x2028 || c == 0x2029) {
            out += c == 0x2028 ? "\\u2028" : "\\u2029";
        } else {
            append_utf8(out, c);
        }
    }
    out += quote;
}

}  // namespace famigo::web::tmpl::text
