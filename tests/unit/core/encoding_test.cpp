// The one hex and percent-coding helper: what each caller relied on from its
// former local copy (digests in lower-case hex, RFC 3986 escapes in upper
// case, '+' only in form encoding, strict decoding refusing malformed escapes
// and NUL, lenient decoding keeping them as Python's unquote does).
#include "core/encoding.hpp"

#include <gtest/gtest.h>

using namespace famigo::encoding;

TEST(Hex, DigitsAndValues) {
    EXPECT_EQ(to_hex(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
    EXPECT_EQ(to_hex("\xab", HexCase::upper), "AB");
    EXPECT_EQ(to_hex(""), "");
    for (int v = 0; v < 16; ++v) {
        EXPECT_EQ(hex_value(hex_digit(unsigned(v))), v);
        EXPECT_EQ(hex_value(hex_digit(unsigned(v), HexCase::upper)), v);
    }
    for (char c : std::string("gG/:@`x \xff")) EXPECT_EQ(hex_value(c), -1) << c;
    std::string out;
    append_hex_number(out, 0xdeadbeefULL, 16);
    append_hex_number(out, 0x2028, 4, HexCase::upper);
    append_hex_number(out, 0x1ff, 2);  // only the low bits that fit
    EXPECT_EQ(out, "00000000deadbeef2028ff");
}

TEST(PercentEncode, UnreservedKeptEverythingElseEscaped) {
    std::string out;
    append_percent_encoded(out, "aZ09-._~ /?é");
    EXPECT_EQ(out, "aZ09-._~%20%2F%3F%C3%A9");
    out.clear();
    append_percent_encoded(out, "a b/c", "/");
    EXPECT_EQ(out, "a%20b/c");
    out.clear();
    append_percent_encoded(out, "a b+c", {}, Space::plus);
    EXPECT_EQ(out, "a+b%2Bc");
    out.clear();
    append_percent_encoded(out, "\xe9", "\xe9");  // only ASCII can be kept
    EXPECT_EQ(out, "%E9");
}

TEST(PercentDecode, StrictRefusesMalformedEscapesAndNul) {
    std::string out;
    EXPECT_TRUE(percent_decode("a%20b%2fc%C3%A9+", out));
    EXPECT_EQ(out, "a b/c\xc3\xa9+");
    for (const char* bad : {"%", "%2", "a%zz", "%g0", "%00", "x%0"}) {
        EXPECT_FALSE(percent_decode(bad, out)) << bad;
    }
    EXPECT_TRUE(percent_decode("", out));
    EXPECT_EQ(out, "");
}

TEST(PercentDecode, LenientKeepsMalformedEscapes) {
    EXPECT_EQ(percent_decode_lenient("a%20b%zz%4"), "a b%zz%4");
    EXPECT_EQ(percent_decode_lenient("a+b%2B"), "a+b+");
    EXPECT_EQ(percent_decode_lenient("a+b%2B", Space::plus), "a b+");
    EXPECT_EQ(percent_decode_lenient("%41%"), "A%");
}

TEST(PercentCoding, RoundTripsEveryByte) {
    std::string all;
    for (int c = 1; c < 256; ++c) all += char(c);
    std::string encoded, decoded;
    append_percent_encoded(encoded, all);
    ASSERT_TRUE(percent_decode(encoded, decoded));
    EXPECT_EQ(decoded, all);
    EXPECT_EQ(percent_decode_lenient(encoded), all);
}
