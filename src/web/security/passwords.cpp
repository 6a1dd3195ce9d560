#include "web/security/passwords.hpp"

#include <sodium.h>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "web/security/crypto.hpp"

namespace famigo::web::security {
namespace {

constexpr std::string_view kArgonPrefix = "argon2";

// "<algorithm>$a$b$c" split on '$'; the algorithm part is checked by the caller.
std::vector<std::string_view> fields(std::string_view stored) {
    return strings::split(stored, '$');
}

PasswordCheck verify_pbkdf2(std::string_view password, std::string_view stored, bool sha256) {
    auto parts = fields(stored);
    if (parts.size() != 4) return {};
    auto iterations = strings::parse_u64(parts[1]);
    if (!iterations || *iterations == 0 || *iterations > kMaxPbkdf2Iterations) return {};
    auto expected = base64_decode(parts[3]);
    if (!expected || expected->empty() || expected->size() > 64) return {};
    std::string derived =
        sha256 ? pbkdf2_sha256(password, parts[2], std::uint32_t(*iterations), expected->size())
               : pbkdf2_sha1(password, parts[2], std::uint32_t(*iterations), expected->size());
    return {constant_time_equal(derived, *expected), true};
}

PasswordCheck verify_sha1(std::string_view password, std::string_view stored) {
    auto parts = fields(stored);
    if (parts.size() != 3 || parts[2].size() != 40) return {};
    std::string salted(parts[1]);
    salted += password;
    std::string hex = to_hex(as_view(sha1(salted)));
    return {constant_time_equal(hex, strings::to_lower(parts[2])), true};
}

}  // namespace

PasswordHasher::PasswordHasher(std::uint64_t ops_limit, std::uint64_t mem_limit)
    : ops_limit_(ops_limit), mem_limit_(mem_limit) {
    ensure_sodium();
    if (ops_limit < crypto_pwhash_OPSLIMIT_MIN || ops_limit > crypto_pwhash_OPSLIMIT_MAX ||
        mem_limit < crypto_pwhash_MEMLIMIT_MIN || mem_limit > crypto_pwhash_MEMLIMIT_MAX)
        throw Error("password hashing limits are outside libsodium's bounds");
}

std::string PasswordHasher::hash(std::string_view password) const {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit_, size_t(mem_limit_),
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw Error("password hashing ran out of memory");
    return std::string(kArgonPrefix) + out;
}

PasswordCheck PasswordHasher::verify(std::string_view password, std::string_view stored) const {
    if (stored.starts_with("argon2$argon2id$") || stored.starts_with("$argon2id$")) {
        // libsodium wants a NUL-terminated string of bounded length.
        std::string encoded(stored.starts_with(kArgonPrefix) ? stored.substr(kArgonPrefix.size())
                                                             : stored);
        if (encoded.size() >= crypto_pwhash_STRBYTES) return {};
        if (crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) != 0)
            return {};
        bool weaker =
            crypto_pwhash_str_needs_rehash(encoded.c_str(), ops_limit_, size_t(mem_limit_)) != 0;
        return {true, weaker || !stored.starts_with(kArgonPrefix)};
    }
    if (stored.starts_with("pbkdf2_sha256$")) return verify_pbkdf2(password, stored, true);
    if (stored.starts_with("pbkdf2_sha1$")) return verify_pbkdf2(password, stored, false);
    if (stored.starts_with("sha1$")) return verify_sha1(password, stored);
    // Django's unusable passwords ("!..."), unsupported and malformed hashes.
    return {};
}

std::string make_pbkdf2_sha256(std::string_view password, std::string_view salt,
                               std::uint32_t iterations) {
    std::string out = "pbkdf2_sha256$" + std::to_string(iterations) + "$";
    out += salt;
    out += "$";
    out += base64_encode(pbkdf2_sha256(password, salt, iterations, 32));
    return out;
}

std::string make_sha1_legacy(std::string_view password, std::string_view salt) {
    std::string salted(salt);
    salted += password;
    return "sha1$" + std::string(salt) + "$" + to_hex(as_view(sha1(salted)));
}

}  // namespace famigo::web::security
