// Signed values, in the spirit of Django's django.core.signing: a value is sent
// to the client with an HMAC-SHA256 signature so it comes back unaltered, and
// optionally with a timestamp so it can expire. Each purpose (CSRF, messages,
// sessions...) uses its own salt, which derives its own key from
// security.secret_key: a signature made for one purpose is worthless for
// another. Signatures are compared in constant time.
//
//   value:SIGNATURE            sign()
//   value:TIMESTAMP:SIGNATURE  sign_timestamped(), TIMESTAMP in base 62
//
// SIGNATURE is base64url without padding. The value is readable by the client
// (signed, not encrypted); it may contain ':' since unsign() splits at the last.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace famigo::web::security {

class Signer {
  public:
    // Throws famigo::Error when secret_key is empty: an unkeyed signer would
    // accept anyone's signatures.
    Signer(std::string_view secret_key, std::string_view salt);

    std::string signature(std::string_view value) const;
    std::string sign(std::string_view value) const;
    // The value if the signature is right; nullopt for anything else.
    std::optional<std::string> unsign(std::string_view signed_value) const;

    std::string sign_timestamped(std::string_view value, std::int64_t now_unix) const;
    // nullopt when tampered, malformed, older than max_age_seconds, or from the future
    // (beyond a minute of clock skew).
    std::optional<std::string> unsign_timestamped(std::string_view signed_value,
                                                  std::int64_t max_age_seconds,
                                                  std::int64_t now_unix) const;

  private:
    std::array<unsigned char, 32> key_;
};

// Base 62 of a non-negative number ("0".."9", "A".."Z", "a".."z"), and back.
std::string base62_encode(std::uint64_t n);
std::optional<std::uint64_t> base62_decode(std::string_view text);

// A fresh secret key: 50 random characters of letters and digits.
std::string generate_secret_key();

}  // namespace famigo::web::security
