#include "web/security/passwords.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

using namespace famigo::web::security;

namespace {

struct DjangoVector {
    const char* password;
    const char* encoded;
};
// Made by Django's make_password (make_django_vectors.py).
const DjangoVector kDjango[] = {
#include "django_vectors.inc"
};

// The smallest Argon2id cost keeps the suite fast; production uses the config's.
PasswordHasher fast() {
    return PasswordHasher(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
}

}  // namespace

TEST(Passwords, Argon2idRoundTrip) {
    auto hasher = fast();
    std::string stored = hasher.hash("correct horse");
    EXPECT_TRUE(stored.starts_with("argon2$argon2id$v=19$")) << stored;
    EXPECT_NE(hasher.hash("correct horse"), stored);  // a fresh salt each time
    auto check = hasher.verify("correct horse", stored);
    EXPECT_TRUE(check.ok);
    EXPECT_FALSE(check.needs_upgrade);
    EXPECT_FALSE(hasher.verify("correct horsf", stored).ok);
    EXPECT_FALSE(hasher.verify("", stored).ok);
}

TEST(Passwords, WeakerArgon2idNeedsUpgrade) {
    std::string stored = fast().hash("pw");
    PasswordHasher stronger(crypto_pwhash_OPSLIMIT_MIN + 1, crypto_pwhash_MEMLIMIT_MIN);
    auto check = stronger.verify("pw", stored);
    EXPECT_TRUE(check.ok);
    EXPECT_TRUE(check.needs_upgrade);
    // libsodium's own form (no "argon2" prefix) verifies too, and is upgraded to ours.
    auto bare = fast().verify("pw", stored.substr(6));
    EXPECT_TRUE(bare.ok);
    EXPECT_TRUE(bare.needs_upgrade);
}

TEST(Passwords, DjangoHashesVerifyAndNeedUpgrade) {
    auto hasher = fast();
    for (const auto& v : kDjango) {
        auto check = hasher.verify(v.password, v.encoded);
        EXPECT_TRUE(check.ok) << v.encoded;
        EXPECT_TRUE(check.needs_upgrade) << v.encoded;
        EXPECT_FALSE(hasher.verify(std::string(v.password) + "x", v.encoded).ok) << v.encoded;
    }
}

TEST(Passwords, MakersMatchDjango) {
    EXPECT_EQ(make_pbkdf2_sha256("password", "seasalt", 260000),
              "pbkdf2_sha256$260000$seasalt$ftMWvEdczZQK5azuap2CQYKRjHLa1wOuMrfMiYEswYQ=");
    EXPECT_EQ(make_sha1_legacy("password", "seasalt"),
              "sha1$seasalt$6292fe549ea4fd63a742ce4c58115c04e58732ea");
}

TEST(Passwords, MalformedStoredValuesAreJustWrong) {
    auto hasher = fast();
    const char* junk[] = {"",
                          "!",
                          "!unusable",
                          "md5$x$y",
                          "pbkdf2_sha256$",
                          "pbkdf2_sha256$abc$salt$aGFzaA==",
                          "pbkdf2_sha256$0$salt$aGFzaA==",
                          "pbkdf2_sha256$99999999999$salt$aGFzaA==",
                          "pbkdf2_sha256$1000$salt$not base64",
                          "pbkdf2_sha256$1000$salt$",
                          "sha1$salt$abc",
                          "sha1$salt$6292fe549ea4fd63a742ce4c58115c04e58732ea$extra",
                          "argon2$argon2id$garbage",
                          "$argon2id$v=19$m=8,t=1,p=1$",
                          "argon2$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"};
    for (const char* stored : junk) EXPECT_FALSE(hasher.verify("password", stored).ok) << stored;
    std::string huge = "argon2$argon2id$" + std::string(500, 'a');
    EXPECT_FALSE(hasher.verify("password", huge).ok);
}
