// Password hashing. New hashes are Argon2id (libsodium's crypto_pwhash_str),
// stored as "argon2" + libsodium's "$argon2id$v=19$m=...,t=...,p=1$salt$hash",
// which is also the form Django's Argon2PasswordHasher reads. Hashes migrated
// from the Django site verify too, so users keep their passwords:
//   pbkdf2_sha256$<iterations>$<salt>$<base64 hash>   (Django 1.4+ default)
//   pbkdf2_sha1$<iterations>$<salt>$<base64 hash>
//   sha1$<salt>$<hex sha1(salt + password)>           (Django 1.3 default)
// verify() says when a stored hash should be replaced (legacy format, or Argon2id
// with weaker limits than configured), so the login code re-hashes the password
// it just checked. Every comparison is constant-time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace famigo::web::security {

struct PasswordCheck {
    bool ok = false;
    bool needs_upgrade = false;  // only meaningful when ok
};

class PasswordHasher {
  public:
    // ops_limit: Argon2id passes; mem_limit: bytes. Throws famigo::Error when
    // outside libsodium's bounds.
    PasswordHasher(std::uint64_t ops_limit, std::uint64_t mem_limit);

    std::string hash(std::string_view password) const;
    // Never throws for a malformed stored value: that is simply not ok.
    PasswordCheck verify(std::string_view password, std::string_view stored) const;

  private:
    std::uint64_t ops_limit_;
    std::uint64_t mem_limit_;
};

// Django's make_password for the legacy formats, for tests and data migration.
std::string make_pbkdf2_sha256(std::string_view password, std::string_view salt,
                               std::uint32_t iterations);
std::string make_sha1_legacy(std::string_view password, std::string_view salt);

// PBKDF2 hashes with more iterations than this are refused rather than
// computed: a planted hash must not be able to pin a worker for minutes.
inline constexpr std::uint32_t kMaxPbkdf2Iterations = 5'000'000;

}  // namespace famigo::web::security
