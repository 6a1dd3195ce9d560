// SHA-1 and HMAC-SHA1, only for verifying Django's legacy "sha1$" and
// "pbkdf2_sha1$" password hashes; never used to make new hashes. libsodium
// offers no SHA-1, so these come from OpenSSL's libcrypto (linked privately to
// this module) rather than from a hand-written digest.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/error.hpp"
#include "web/security/crypto.hpp"

namespace famigo::web::security {

std::array<unsigned char, 20> sha1(std::string_view message) {
    std::array<unsigned char, 20> out{};
    unsigned int length = 0;
    if (EVP_Digest(message.data(), message.size(), out.data(), &length, EVP_sha1(), nullptr) != 1 ||
        length != out.size())
        throw Error("libcrypto: SHA-1 failed");
    return out;
}

std::array<unsigned char, 20> hmac_sha1(std::string_view key, std::string_view message) {
    std::array<unsigned char, 20> out{};
    unsigned int length = 0;
    // HMAC() rejects a null key pointer even for an empty key.
    static const unsigned char kEmpty = 0;
    const void* key_bytes = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
    if (!HMAC(EVP_sha1(), key_bytes, int(key.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
              &length) ||
        length != out.size())
        throw Error("libcrypto: HMAC-SHA1 failed");
    return out;
}

}  // namespace famigo::web::security
