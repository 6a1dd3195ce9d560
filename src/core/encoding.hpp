// Hex, percent-coding and base64: the one copy every module uses. Digests, ids and
// escapes are written in hex here; URLs, query strings and form bodies are
// percent-encoded and -decoded here. Byte-oriented: text is never
// interpreted beyond the ASCII characters named below.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace famigo::encoding {

enum class HexCase : std::uint8_t { lower, upper };

// The hex digit of v's low four bits.
constexpr char hex_digit(unsigned v, HexCase letters = HexCase::lower) {
    v &= 15;
    if (v < 10) return char('0' + v);
    return char((letters == HexCase::upper ? 'A' : 'a') + (v - 10));
}

// 0..15 for a hex digit of either case, -1 for anything else.
constexpr int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Each byte as two hex digits.
void append_hex(std::string& out, std::string_view bytes, HexCase letters = HexCase::lower);
std::string to_hex(std::string_view bytes, HexCase letters = HexCase::lower);
// The low 4*digits bits of value as exactly `digits` hex digits, most
// significant first ("%02x" and friends without printf).
void append_hex_number(std::string& out, std::uint64_t value, int digits,
                       HexCase letters = HexCase::lower);

// What a space becomes when encoding, and what '+' means when decoding:
// application/x-www-form-urlencoded uses '+', everything else %20.
enum class Space : std::uint8_t { percent, plus };

// Percent-encodes every byte except RFC 3986's unreserved characters
// (ALPHA DIGIT - . _ ~) and the ASCII characters in `keep`, with upper-case
// hex as RFC 3986 recommends.
void append_percent_encoded(std::string& out, std::string_view text, std::string_view keep = {},
                            Space space = Space::percent);

// Strict decoding for what the site acts on (request paths, form bodies):
// false when an escape is malformed or decodes to NUL; '+' is left alone.
bool percent_decode(std::string_view in, std::string& out);
// Lenient decoding, as Python's urllib.parse.unquote: a malformed escape stays
// as written.
std::string percent_decode_lenient(std::string_view in, Space space = Space::percent);

// Base64 (RFC 4648) in both alphabets. Decoding is strict: nullopt for a
// character outside the alphabet, bad padding or non-zero leftover bits.
std::string base64_encode(std::string_view bytes);                   // standard alphabet, padded
std::string base64url_encode(std::string_view bytes);                // URL alphabet, no padding
std::optional<std::string> base64_decode(std::string_view text);     // padded standard
std::optional<std::string> base64url_decode(std::string_view text);  // unpadded URL-safe

}  // namespace famigo::encoding
