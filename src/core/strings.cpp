#include "core/strings.hpp"

#include <limits>

namespace famigo::strings {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        size_t pos = s.find(sep, start);
        parts.push_back(
            s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return parts;
}

bool list_contains_token(std::string_view s, std::string_view token) {
    for (auto part : split(s, ','))
        if (iequals(trim(part), token)) return true;
    return false;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        unsigned digit = unsigned(c - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

std::optional<std::int64_t> parse_i64(std::string_view s) {
    bool negative = !s.empty() && s.front() == '-';
    if (negative) s.remove_prefix(1);
    auto magnitude = parse_u64(s);
    if (!magnitude || *magnitude > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
    auto value = std::int64_t(*magnitude);
    return negative ? -value : value;
}

std::optional<std::uint64_t> parse_size(std::string_view s) {
    s = trim(s);
    size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    auto number = parse_u64(s.substr(0, digits));
    if (!number) return std::nullopt;
    std::string unit = to_lower(trim(s.substr(digits)));
    std::uint64_t factor = 1;
    if (unit.empty() || unit == "b")
        factor = 1;
    else if (unit == "kib" || unit == "k")
        factor = 1024;
    else if (unit == "mib" || unit == "m")
        factor = 1024 * 1024;
    else if (unit == "gib" || unit == "g")
        factor = 1024ull * 1024 * 1024;
    else if (unit == "kb")
        factor = 1000;
    else if (unit == "mb")
        factor = 1000 * 1000;
    else if (unit == "gb")
        factor = 1000ull * 1000 * 1000;
    else
        return std::nullopt;
    if (*number > std::numeric_limits<std::uint64_t>::max() / factor) return std::nullopt;
    return *number * factor;
}

}  // namespace famigo::strings
