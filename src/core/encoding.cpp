#include "core/encoding.hpp"

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

}  // namespace famigo::encoding
