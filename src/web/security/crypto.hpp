// Cryptographic building blocks of the web security layer: random bytes and
// tokens, constant-time comparison, HMAC-SHA256 and PBKDF2 (libsodium's
// primitives underneath), SHA-1 and HMAC-SHA1 for Django's legacy password
// formats (libsodium has no SHA-1, so it is implemented here, FIPS 180-4), and
// base64 in both alphabets. Everything takes and returns bytes in strings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/encoding.hpp"

namespace famigo::web::security {

// Initialises libsodium once (thread-safe); throws famigo::Error if it cannot.
void ensure_sodium();

std::string random_bytes(size_t n);
// n characters drawn uniformly from `alphabet` (at most 256 characters).
std::string random_string(size_t n, std::string_view alphabet);
// Letters and digits, the alphabet of secret keys and CSRF tokens.
inline constexpr std::string_view kAlphanumeric =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// Compares in time that depends only on the lengths, never on where bytes differ.
bool constant_time_equal(std::string_view a, std::string_view b);

std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view message);
// PBKDF2 (RFC 8018) with HMAC-SHA256 or HMAC-SHA1 as the PRF.
std::string pbkdf2_sha256(std::string_view password, std::string_view salt,
                          std::uint32_t iterations, size_t length);
std::string pbkdf2_sha1(std::string_view password, std::string_view salt, std::uint32_t iterations,
                        size_t length);

std::array<unsigned char, 20> sha1(std::string_view message);
std::array<unsigned char, 20> hmac_sha1(std::string_view key, std::string_view message);

using encoding::to_hex;                                              // lower-case hex of bytes
std::string base64_encode(std::string_view bytes);                   // standard alphabet, padded
std::string base64url_encode(std::string_view bytes);                // URL alphabet, no padding
std::optional<std::string> base64_decode(std::string_view text);     // padded standard
std::optional<std::string> base64url_decode(std::string_view text);  // unpadded URL-safe

template <size_t N>
std::string_view as_view(const std::array<unsigned char, N>& bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), N};
}

}  // namespace famigo::web::security
