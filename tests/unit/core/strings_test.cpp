#include "core/strings.hpp"

#include <gtest/gtest.h>

using namespace famigo::strings;

TEST(Strings, CaseInsensitiveCompare) {
    EXPECT_TRUE(iequals("Content-Length", "content-length"));
    EXPECT_FALSE(iequals("Content-Length", "content-lengt"));
    EXPECT_TRUE(istarts_with("HTTP://x", "http://"));
}

TEST(Strings, ParseU64RejectsJunkAndOverflow) {
    EXPECT_EQ(parse_u64("0"), 0u);
    EXPECT_EQ(parse_u64("18446744073709551615"), 18446744073709551615ull);
    EXPECT_FALSE(parse_u64("18446744073709551616"));
    EXPECT_FALSE(parse_u64(""));
    EXPECT_FALSE(parse_u64("12a"));
    EXPECT_FALSE(parse_u64("-1"));
    EXPECT_FALSE(parse_u64(" 1"));
    EXPECT_EQ(parse_i64("-42"), -42);
}

TEST(Strings, ParseSizeUnits) {
    EXPECT_EQ(parse_size("512"), 512u);
    EXPECT_EQ(parse_size("16KiB"), 16u * 1024);
    EXPECT_EQ(parse_size("4 MiB"), 4u * 1024 * 1024);
    EXPECT_EQ(parse_size("1GB"), 1000u * 1000 * 1000);
    EXPECT_FALSE(parse_size("12 parsecs"));
    EXPECT_FALSE(parse_size("KiB"));
}

TEST(Strings, TokenLists) {
    EXPECT_TRUE(list_contains_token("keep-alive, Upgrade", "upgrade"));
    EXPECT_FALSE(list_contains_token("keep-alive", "close"));
    auto parts = split("a,,b", ',');
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[1], "");
}

TEST(Strings, Utf8LengthCountsCharactersNotBytes) {
    EXPECT_EQ(utf8_length(""), 0u);
    EXPECT_EQ(utf8_length("abc"), 3u);
    EXPECT_EQ(utf8_length("\xC3\xA9t\xC3\xA9"), 3u);  // "été"
    EXPECT_EQ(utf8_length("\xF0\x9F\x8E\xAE"), 1u);   // one emoji, four bytes
    EXPECT_EQ(utf8_length(std::string(51 * 2, 'x')), 102u);
}
