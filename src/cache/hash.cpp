#include "cache/hash.hpp"

#include <cstring>

#include "core/encoding.hpp"

namespace famigo::cache {
namespace {

constexpr std::uint64_t kMul1 = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio
constexpr std::uint64_t kMul2 = 0xbf58476d1ce4e5b9ULL;
constexpr std::uint64_t kMul3 = 0x94d049bb133111ebULL;

// A full-avalanche finaliser: every input bit affects every output bit.
constexpr std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= kMul2;
    x ^= x >> 27;
    x *= kMul3;
    x ^= x >> 31;
    return x;
}

constexpr std::uint64_t rotl(std::uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

}  // namespace

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    std::uint64_t a = seed ^ (n * kMul1);
    std::uint64_t b = rotl(seed, 32) + kMul2;
    // Two lanes over 16-byte blocks; little-endian loads keep the result the
    // same on every machine we run on (x86-64, arm64).
    while (n >= 16) {
        std::uint64_t w1, w2;
        std::memcpy(&w1, p, 8);
        std::memcpy(&w2, p + 8, 8);
        a = rotl(a ^ (w1 * kMul1), 29) * kMul2;
        b = rotl(b ^ (w2 * kMul3), 31) * kMul1;
        p += 16;
        n -= 16;
    }
    std::uint64_t tail = 0;
    if (n >= 8) {
        std::memcpy(&tail, p, 8);
        a = rotl(a ^ (tail * kMul1), 29) * kMul2;
        p += 8;
        n -= 8;
        tail = 0;
    }
    std::memcpy(&tail, p, n);
    b ^= tail * kMul3 + n;
    return mix(a ^ mix(b));
}

void append_hex64(std::string& out, std::uint64_t value) {
    encoding::append_hex_number(out, value, 16);
}

}  // namespace famigo::cache
