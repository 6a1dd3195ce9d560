// Small string helpers used across modules: ASCII case folding, trimming,
// splitting and strict integer parsing. ASCII only on purpose: HTTP tokens,
// header names and config keys are ASCII by specification.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::strings {

constexpr char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string to_lower(std::string_view s);
// Characters (code points) of UTF-8 text, as people and HTML's maxlength count
// them: continuation bytes are not counted.
std::size_t utf8_length(std::string_view s);
std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
// True if the comma-separated list `s` contains `token`, compared case-insensitively.
bool list_contains_token(std::string_view s, std::string_view token);

// Whole-string unsigned decimal; nullopt on empty input, a non-digit or overflow.
std::optional<std::uint64_t> parse_u64(std::string_view s);
std::optional<std::int64_t> parse_i64(std::string_view s);

// Parses "512", "16KiB", "4MiB", "1GiB" (also KB/MB/GB as powers of 1000).
std::optional<std::uint64_t> parse_size(std::string_view s);

}  // namespace famigo::strings
