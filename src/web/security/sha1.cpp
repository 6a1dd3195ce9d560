// SHA-1 (FIPS 180-4) and HMAC-SHA1 (RFC 2104), only for verifying Django's
// legacy "sha1$" and "pbkdf2_sha1$" password hashes: libsodium offers no SHA-1,
// and pulling in OpenSSL for one legacy check is not worth a second crypto
// library. Never use it to make new hashes.
#include <cstdint>
#include <cstring>

#include "web/security/crypto.hpp"

namespace famigo::web::security {
namespace {

constexpr std::uint32_t rotl(std::uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

void compress(std::uint32_t h[5], const unsigned char block[64]) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i)
        w[i] = std::uint32_t(block[4 * i]) << 24 | std::uint32_t(block[4 * i + 1]) << 16 |
               std::uint32_t(block[4 * i + 2]) << 8 | std::uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
        std::uint32_t f, k;
        if (i < 20)
            f = (b & c) | (~b & d), k = 0x5A827999;
        else if (i < 40)
            f = b ^ c ^ d, k = 0x6ED9EBA1;
        else if (i < 60)
            f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
        else
            f = b ^ c ^ d, k = 0xCA62C1D6;
        std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
        e = d, d = c, c = rotl(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

}  // namespace

std::array<unsigned char, 20> sha1(std::string_view message) {
    std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    size_t full = message.size() / 64 * 64;
    for (size_t i = 0; i < full; i += 64) compress(h, data + i);
    // Padding: 0x80, zeros, then the length in bits as a big-endian 64-bit number.
    unsigned char tail[128] = {};
    size_t rest = message.size() - full;
    if (rest) std::memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 9 <= 64 ? 64 : 128;
    std::uint64_t bits = std::uint64_t(message.size()) * 8;
    for (int i = 0; i < 8; ++i)
        tail[tail_len - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
    for (size_t i = 0; i < tail_len; i += 64) compress(h, tail + i);
    std::array<unsigned char, 20> out{};
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 4; ++j)
            out[4 * i + j] = static_cast<unsigned char>(h[i] >> (24 - 8 * j));
    return out;
}

std::array<unsigned char, 20> hmac_sha1(std::string_view key, std::string_view message) {
    unsigned char block[64] = {};
    if (key.size() > 64) {
        auto digest = sha1(key);
        std::memcpy(block, digest.data(), digest.size());
    } else if (!key.empty()) {
        std::memcpy(block, key.data(), key.size());
    }
    std::string inner(64, '\0'), outer(64, '\0');
    for (int i = 0; i < 64; ++i) {
        inner[i] = char(block[i] ^ 0x36);
        outer[i] = char(block[i] ^ 0x5c);
    }
    inner.append(message);
    outer.append(as_view(sha1(inner)));
    return sha1(outer);
}

}  // namespace famigo::web::security
