#include "assets/digest.hpp"

#include <sodium.h>

#include "core/encoding.hpp"
#include "core/error.hpp"

namespace famigo::assets {

std::string content_hash_hex(std::string_view bytes) {
    // sodium_init picks the fastest implementation; it is thread-safe and idempotent.
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw Error("libsodium failed to initialise");
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size(), nullptr, 0);
    return encoding::to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string fingerprinted_name(std::string_view logical_name, std::string_view hash_hex) {
    std::string_view fingerprint = hash_hex.substr(0, kFingerprintHexDigits);
    size_t slash = logical_name.rfind('/');
    size_t base = slash == std::string_view::npos ? 0 : slash + 1;
    size_t dot = logical_name.rfind('.');
    std::string out;
    out.reserve(logical_name.size() + fingerprint.size() + 1);
    // A leading dot ("dir/.htaccess") is not an extension separator.
    if (dot == std::string_view::npos || dot <= base) {
        out.append(logical_name).append(".").append(fingerprint);
    } else {
        out.append(logical_name.substr(0, dot)).append(".").append(fingerprint);
        out.append(logical_name.substr(dot));
    }
    return out;
}

}  // namespace famigo::assets
