#include "web/security/crypto.hpp"

#include <gtest/gtest.h>

using namespace famigo::web::security;

namespace {
std::string hex(std::string_view bytes) {
    return to_hex(bytes);
}
template <size_t N>
std::string hex(const std::array<unsigned char, N>& bytes) {
    return to_hex(as_view(bytes));
}
}  // namespace

// FIPS 180-4 examples, plus lengths around the padding boundaries.
TEST(Sha1, StandardVectors) {
    EXPECT_EQ(hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(hex(sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    EXPECT_EQ(hex(sha1(std::string(55, 'a'))), "c1c8bbdc22796e28c0e15163d20899b65621d65a");
    EXPECT_EQ(hex(sha1(std::string(56, 'a'))), "c2db330f6083854c99d4b5bfb6e8f29f201be699");
    EXPECT_EQ(hex(sha1(std::string(64, 'a'))), "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

// RFC 2202 and RFC 4231 test cases.
TEST(Hmac, Vectors) {
    EXPECT_EQ(hex(hmac_sha1("Jefe", "what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(hex(hmac_sha1(std::string(80, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First")),
              "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// RFC 7914 section 11, RFC 6070, and a multi-block output.
TEST(Pbkdf2, Vectors) {
    EXPECT_EQ(hex(pbkdf2_sha256("passwd", "salt", 1, 64)),
              "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645"
              "991664b39d77ef317c71b845b1e30bd509112041d3a19783");
    EXPECT_EQ(hex(pbkdf2_sha1("password", "salt", 4096, 20)),
              "4b007901b765489abead49d926f721d065a429c1");
    EXPECT_EQ(hex(pbkdf2_sha256("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt",
                                4096, 40)),
              "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9");
}

TEST(Base64, RoundTripsAndRejectsJunk) {
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\x01"}) {
        EXPECT_EQ(base64_decode(base64_encode(s)), s);
        EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_FALSE(base64_decode("Zm8"));       // missing padding
    EXPECT_FALSE(base64_decode("Zm9=Zm8="));  // padding inside
    EXPECT_FALSE(base64_decode("Zm!v"));
    EXPECT_FALSE(base64url_decode("Zm8="));
    EXPECT_FALSE(base64url_decode("Z"));
    EXPECT_FALSE(base64url_decode("Zm9" + std::string(1, '\0')));
    EXPECT_FALSE(base64url_decode("Zh"));  // non-zero leftover bits: not canonical
}

TEST(ConstantTime, Equal) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(Random, StringsUseTheAlphabetAndDiffer) {
    std::string a = random_string(32, kAlphanumeric), b = random_string(32, kAlphanumeric);
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
    for (char c : a) EXPECT_NE(kAlphanumeric.find(c), std::string_view::npos);
    EXPECT_EQ(random_bytes(16).size(), 16u);
}
