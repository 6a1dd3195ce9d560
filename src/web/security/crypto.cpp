#include "web/security/crypto.hpp"

#include <sodium.h>

#include <cstring>

#include "core/encoding.hpp"
#include "core/error.hpp"

namespace famigo::web::security {
namespace {

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

// One PBKDF2 block loop, generic over the PRF. `prf(message, out)` computes
// HMAC(password, message); the caller keeps the keyed state so each iteration
// costs two compression calls rather than re-keying.
template <size_t Digest, typename Prf>
std::string pbkdf2(Prf&& prf, std::string_view salt, std::uint32_t iterations, size_t length) {
    if (iterations == 0) throw Error("pbkdf2: iterations must be positive");
    std::string out;
    out.reserve(length + Digest);
    std::string first(salt);
    first.append(4, '\0');
    for (std::uint32_t block = 1; out.size() < length; ++block) {
        first[salt.size()] = char(block >> 24);
        first[salt.size() + 1] = char(block >> 16);
        first[salt.size() + 2] = char(block >> 8);
        first[salt.size() + 3] = char(block);
        std::array<unsigned char, Digest> u{};
        prf(std::string_view(first), u);
        std::array<unsigned char, Digest> t = u;
        for (std::uint32_t i = 1; i < iterations; ++i) {
            prf(as_view(u), u);
            for (size_t k = 0; k < Digest; ++k) t[k] ^= u[k];
        }
        out.append(as_view(t));
    }
    out.resize(length);
    return out;
}

}  // namespace

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw Error("libsodium failed to initialise");
}

std::string random_bytes(size_t n) {
    ensure_sodium();
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::string random_string(size_t n, std::string_view alphabet) {
    ensure_sodium();
    std::string out(n, '\0');
    for (auto& c : out) c = alphabet[randombytes_uniform(std::uint32_t(alphabet.size()))];
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view message) {
    ensure_sodium();
    std::array<unsigned char, 32> out{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
    crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
    crypto_auth_hmacsha256_final(&state, out.data());
    return out;
}

std::string pbkdf2_sha256(std::string_view password, std::string_view salt,
                          std::uint32_t iterations, size_t length) {
    ensure_sodium();
    crypto_auth_hmacsha256_state keyed;
    crypto_auth_hmacsha256_init(&keyed, bytes_of(password), password.size());
    auto prf = [&keyed](std::string_view message, std::array<unsigned char, 32>& out) {
        crypto_auth_hmacsha256_state state = keyed;
        crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
        crypto_auth_hmacsha256_final(&state, out.data());
    };
    std::string out = pbkdf2<32>(prf, salt, iterations, length);
    sodium_memzero(&keyed, sizeof keyed);
    return out;
}

std::string pbkdf2_sha1(std::string_view password, std::string_view salt, std::uint32_t iterations,
                        size_t length) {
    auto prf = [password](std::string_view message, std::array<unsigned char, 20>& out) {
        out = hmac_sha1(password, message);
    };
    return pbkdf2<20>(prf, salt, iterations, length);
}

std::string base64_encode(std::string_view bytes) {
    return encoding::base64_encode(bytes);
}
std::string base64url_encode(std::string_view bytes) {
    return encoding::base64url_encode(bytes);
}
std::optional<std::string> base64_decode(std::string_view text) {
    return encoding::base64_decode(text);
}
std::optional<std::string> base64url_decode(std::string_view text) {
    return encoding::base64url_decode(text);
}

}  // namespace famigo::web::security
