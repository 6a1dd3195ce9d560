#include "core/encoding.hpp"

#include <cstring>

namespace famigo::encoding {

void append_hex(std::string& out, std::string_view bytes, HexCase letters) {
    out.reserve(out.size() + 2 * bytes.size());
    for (unsigned char byte : bytes) {
        out += hex_digit(byte >> 4, letters);
        out += hex_digit(byte, letters);
    }
}

std::string to_hex(std::string_view bytes, HexCase letters) {
    std::string out;
    append_hex(out, bytes, letters);
    return out;
}

void append_hex_number(std::string& out, std::uint64_t value, int digits, HexCase letters) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
        out += hex_digit(unsigned(value >> shift), letters);
}

void append_percent_encoded(std::string& out, std::string_view text, std::string_view keep,
                            Space space) {
    for (unsigned char c : text) {
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved || (c < 0x80 && keep.find(char(c)) != std::string_view::npos)) {
            out += char(c);
        } else if (c == ' ' && space == Space::plus) {
            out += '+';
        } else {
            out += '%';
            out += hex_digit(c >> 4, HexCase::upper);
            out += hex_digit(c, HexCase::upper);
        }
    }
}

bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return false;
        int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
        out += char(hi * 16 + lo);
        i += 2;
    }
    return true;
}

std::string percent_decode_lenient(std::string_view in, Space space) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        int hi = -1, lo = -1;
        if (in[i] == '%' && i + 2 < in.size()) {
            hi = hex_value(in[i + 1]);
            lo = hex_value(in[i + 2]);
        }
        if (hi >= 0 && lo >= 0) {
            out += char(hi * 16 + lo);
            i += 2;
        } else if (in[i] == '+' && space == Space::plus) {
            out += ' ';
        } else {
            out += in[i];
        }
    }
    return out;
}

namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode64(std::string_view in, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        std::uint32_t v = std::uint32_t(std::uint8_t(in[i])) << 16 |
                          std::uint32_t(std::uint8_t(in[i + 1])) << 8 | std::uint8_t(in[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 63];
    }
    size_t rest = in.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t(std::uint8_t(in[i])) << 16;
        if (rest == 2) v |= std::uint32_t(std::uint8_t(in[i + 1])) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (rest == 2) out += alphabet[(v >> 6) & 63];
        if (pad) out.append(rest == 1 ? 2 : 1, '=');
    }
    return out;
}

std::optional<std::string> decode64(std::string_view in, const char* alphabet, bool padded) {
    if (padded) {
        if (in.size() % 4 != 0) return std::nullopt;
        size_t pads = 0;
        while (pads < 2 && pads < in.size() && in[in.size() - 1 - pads] == '=') ++pads;
        in.remove_suffix(pads);
    } else if (in.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(in.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        const char* at = c ? std::strchr(alphabet, c) : nullptr;
        if (!at) return std::nullopt;
        acc = (acc << 6) | std::uint32_t(at - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xFF);
        }
    }
    // Leftover bits must be zero, so each byte string has exactly one encoding.
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    return encode64(bytes, kStd, true);
}
std::string base64url_encode(std::string_view bytes) {
    return encode64(bytes, kUrl, false);
}
std::optional<std::string> base64_decode(std::string_view text) {
    return decode64(text, kStd, true);
}
std::optional<std::string> base64url_decode(std::string_view text) {
    return decode64(text, kUrl, false);
}

}  // namespace famigo::encoding
