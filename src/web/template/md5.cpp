#include "web/template/md5.hpp"

#include <openssl/evp.h>

#include "core/encoding.hpp"
#include "core/error.hpp"

namespace famigo::web::tmpl {

// OpenSSL's libcrypto (linked privately to this module), not a hand-written digest.
std::string md5_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr) != 1)
        throw Error("libcrypto: MD5 failed");
    return encoding::to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace famigo::web::tmpl
