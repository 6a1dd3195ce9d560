#include "assets/path_safety.hpp"

#include "core/encoding.hpp"
#include "core/strings.hpp"

namespace famigo::assets {
namespace {

bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

bool is_safe_segment(std::string_view segment) {
    return !segment.empty() && segment.size() <= kMaxSegment && segment.front() != '.';
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        size_t length;
        unsigned char low = 0x80, high = 0xbf;  // allowed range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            length = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            length = 3;
            if (c == 0xe0) low = 0xa0;   // overlong
            if (c == 0xed) high = 0x9f;  // surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            length = 4;
            if (c == 0xf0) low = 0x90;   // overlong
            if (c == 0xf4) high = 0x8f;  // past U+10FFFF
        } else {
            return false;  // continuation byte first, C0/C1 overlong leads, F5..FF
        }
        if (size_t(end - p) < length) return false;
        if (p[1] < low || p[1] > high) return false;
        for (size_t i = 2; i < length; ++i)
            if (p[i] < 0x80 || p[i] > 0xbf) return false;
        p += length;
    }
    return true;
}

bool is_safe_logical_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxLogicalName) return false;
    for (unsigned char c : name)
        if (is_control(c) || c == '\\') return false;
    if (!is_valid_utf8(name)) return false;
    for (std::string_view segment : strings::split(name, '/'))
        if (!is_safe_segment(segment)) return false;
    return true;
}

std::optional<std::string> decode_safe_raw_path(std::string_view raw_path) {
    if (raw_path.size() > 3 * kMaxLogicalName) return std::nullopt;
    for (size_t i = 0; i < raw_path.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(raw_path[i]);
        if (is_control(c) || c == '\\') return std::nullopt;
        if (c != '%') continue;
        if (i + 2 >= raw_path.size()) return std::nullopt;
        char hi = strings::ascii_lower(raw_path[i + 1]);
        char lo = strings::ascii_lower(raw_path[i + 2]);
        // %2f '/', %5c '\', %00 NUL, %25 '%' (a second decoding would see a new escape).
        if ((hi == '2' && (lo == 'f' || lo == '5')) || (hi == '5' && lo == 'c') ||
            (hi == '0' && lo == '0'))
            return std::nullopt;
    }
    std::string decoded;
    if (!encoding::percent_decode(raw_path, decoded)) return std::nullopt;
    std::string_view name(decoded);
    if (name.empty() || name.front() != '/') return std::nullopt;
    name.remove_prefix(1);
    if (!is_safe_logical_name(name)) return std::nullopt;
    return decoded;
}

}  // namespace famigo::assets
