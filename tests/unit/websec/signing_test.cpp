#include "web/security/signing.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace famigo::web::security;

TEST(Signer, RoundTripsAndRefusesTampering) {
    Signer signer("s3cret-key-for-tests", "messages");
    std::string signed_value = signer.sign("hello:world");
    EXPECT_EQ(signer.unsign(signed_value), "hello:world");

    std::string tampered = signed_value;
    tampered[0] = 'j';
    EXPECT_EQ(signer.unsign(tampered), std::nullopt);
    tampered = signed_value;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(signer.unsign(tampered), std::nullopt);
    EXPECT_EQ(signer.unsign("no signature"), std::nullopt);
    EXPECT_EQ(signer.unsign(""), std::nullopt);
    EXPECT_EQ(signer.unsign(":"), std::nullopt);
    EXPECT_EQ(signer.unsign(signed_value + "x"), std::nullopt);
}

TEST(Signer, SaltAndKeySeparatePurposes) {
    Signer messages("key", "messages"), sessions("key", "sessions"), other_key("key2", "messages");
    std::string value = messages.sign("v");
    EXPECT_EQ(sessions.unsign(value), std::nullopt);
    EXPECT_EQ(other_key.unsign(value), std::nullopt);
    EXPECT_EQ(Signer("key", "messages").unsign(value), "v");
}

TEST(Signer, EmptyKeyIsRefused) {
    EXPECT_THROW(Signer("", "x"), famigo::Error);
}

TEST(Signer, TimestampsExpire) {
    Signer signer("key", "t");
    const std::int64_t now = 1'800'000'000;
    std::string value = signer.sign_timestamped("data", now);
    EXPECT_EQ(signer.unsign_timestamped(value, 60, now), "data");
    EXPECT_EQ(signer.unsign_timestamped(value, 60, now + 60), "data");
    EXPECT_EQ(signer.unsign_timestamped(value, 60, now + 61), std::nullopt);
    EXPECT_EQ(signer.unsign_timestamped(value, 60, now - 3600), std::nullopt);  // from the future
    // A plain signature is not a timestamped one, and the timestamp is signed.
    EXPECT_EQ(signer.unsign_timestamped(signer.sign("data"), 60, now), std::nullopt);
    std::string moved = "data:1:" + value.substr(value.rfind(':') + 1);
    EXPECT_EQ(signer.unsign_timestamped(moved, 1'000'000'000'000, now), std::nullopt);
}

TEST(Base62, RoundTrips) {
    for (std::uint64_t n :
         std::initializer_list<std::uint64_t>{0, 1, 61, 62, 1800000000, UINT64_MAX})
        EXPECT_EQ(base62_decode(base62_encode(n)), n);
    EXPECT_EQ(base62_encode(61), "z");
    EXPECT_EQ(base62_decode(""), std::nullopt);
    EXPECT_EQ(base62_decode("a-b"), std::nullopt);
    EXPECT_EQ(base62_decode("zzzzzzzzzzz"), std::nullopt);  // overflows 64 bits
}

TEST(SecretKey, GeneratedKeysAreLongAndDistinct) {
    std::string a = generate_secret_key(), b = generate_secret_key();
    EXPECT_EQ(a.size(), 50u);
    EXPECT_NE(a, b);
}
