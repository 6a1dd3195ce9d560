#include "web/security/signing.hpp"

#include <sodium.h>

#include "core/error.hpp"
#include "web/security/crypto.hpp"

namespace famigo::web::security {
namespace {
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::int64_t kClockSkewSeconds = 60;
}  // namespace

Signer::Signer(std::string_view secret_key, std::string_view salt) {
    if (secret_key.empty()) throw Error("signing needs a non-empty security.secret_key");
    std::string purpose = "famigo.signing:";
    purpose += salt;
    key_ = hmac_sha256(secret_key, purpose);
}

std::string Signer::signature(std::string_view value) const {
    auto mac = hmac_sha256(as_view(key_), value);
    return base64url_encode(as_view(mac));
}

std::string Signer::sign(std::string_view value) const {
    std::string out(value);
    out += ':';
    out += signature(value);
    return out;
}

std::optional<std::string> Signer::unsign(std::string_view signed_value) const {
    size_t colon = signed_value.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view value = signed_value.substr(0, colon);
    if (!constant_time_equal(signed_value.substr(colon + 1), signature(value))) return std::nullopt;
    return std::string(value);
}

std::string Signer::sign_timestamped(std::string_view value, std::int64_t now_unix) const {
    std::string stamped(value);
    stamped += ':';
    stamped += base62_encode(std::uint64_t(now_unix < 0 ? 0 : now_unix));
    return sign(stamped);
}

std::optional<std::string> Signer::unsign_timestamped(std::string_view signed_value,
                                                      std::int64_t max_age_seconds,
                                                      std::int64_t now_unix) const {
    auto stamped = unsign(signed_value);
    if (!stamped) return std::nullopt;
    size_t colon = stamped->rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    auto when = base62_decode(std::string_view(*stamped).substr(colon + 1));
    if (!when || *when > std::uint64_t(INT64_MAX)) return std::nullopt;
    std::int64_t age = now_unix - std::int64_t(*when);
    if (age > max_age_seconds || age < -kClockSkewSeconds) return std::nullopt;
    stamped->resize(colon);
    return stamped;
}

std::string base62_encode(std::uint64_t n) {
    std::string out;
    do {
        out.insert(out.begin(), kBase62[n % 62]);
        n /= 62;
    } while (n > 0);
    return out;
}

std::optional<std::uint64_t> base62_decode(std::string_view text) {
    if (text.empty() || text.size() > 11) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : text) {
        size_t digit = kBase62.find(c);
        if (digit == std::string_view::npos) return std::nullopt;
        if (n > (UINT64_MAX - digit) / 62) return std::nullopt;
        n = n * 62 + digit;
    }
    return n;
}

std::string generate_secret_key() {
    return random_string(50, kAlphanumeric);
}

}  // namespace famigo::web::security
