#include "assets/path_safety.hpp"

#include <gtest/gtest.h>

namespace famigo::assets {
namespace {

TEST(PathSafety, AcceptsOrdinaryNames) {
    for (const char* raw : {"/static/css/site.css", "/static/img/logo.1a2b3c4d5e6f.svg",
                            "/static/robots.txt", "/static/fonts/a%20b.woff2",
                            "/static/caf%C3%A9.txt", "/static/a..b.txt", "/static/x-y_z~1.js"})
        EXPECT_TRUE(decode_safe_raw_path(raw)) << raw;
    EXPECT_EQ(*decode_safe_raw_path("/static/fonts/a%20b.woff2"), "/static/fonts/a b.woff2");
}

// Each of these must be refused before the file system sees it.
TEST(PathSafety, RefusesHostileRawPaths) {
    for (const char* raw : {
             "/static/../etc/passwd",
             "/static/css/../../etc/passwd",
             "/static/%2e%2e/etc/passwd",
             "/static/%2E%2E/%2E%2E/etc/passwd",
             "/static/.%2e/etc/passwd",
             "/static/%2e./etc/passwd",
             "/static/..%2fetc%2fpasswd",
             "/static/%2e%2e%2fetc%2fpasswd",
             "/static/css%2fsite.css",
             "/static/..%5cetc%5cpasswd",
             "/static/..\\etc\\passwd",
             "/static/css\\site.css",
             "/static/site.css%00.png",
             "/static/%c0%ae%c0%ae/etc/passwd",
             "/static/%c0%af",
             "/static/%e0%80%ae%e0%80%ae/x",
             "/static/%252e%252e/etc/passwd",
             "/static/%25",
             "/static/./css/site.css",
             "/static/css/./site.css",
             "/static//etc/passwd",
             "/static/css//site.css",
             "/static/",
             "/static/css/",
             "/static/.env",
             "/static/.git/config",
             "/static/css/.hidden.css",
             "/static/%2egit/config",
             "/static/%",
             "/static/%zz",
             "/static/%2",
             "/static/a%0ab",
             "/static/a\tb",
             "/static/%ff",
             "/static/%ed%a0%80",
             "static/css/site.css",
             "",
         })
        EXPECT_FALSE(decode_safe_raw_path(raw)) << raw;
}

TEST(PathSafety, LogicalNames) {
    EXPECT_TRUE(is_safe_logical_name("css/site.css"));
    EXPECT_TRUE(is_safe_logical_name("a"));
    for (const char* name : {"", "/css/site.css", "css/", "..", "../a", "a/../b", ".", "a/./b",
                             ".htaccess", "a//b", "a\\b", "a\nb"})
        EXPECT_FALSE(is_safe_logical_name(name)) << name;
    EXPECT_FALSE(is_safe_logical_name(std::string("a\0b", 3)));
    EXPECT_FALSE(is_safe_logical_name(std::string(300, 'a')));
    EXPECT_FALSE(is_safe_logical_name(std::string(kMaxLogicalName + 1, 'a')));
}

TEST(PathSafety, Utf8) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));
    EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));
    EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xae"));          // overlong '.'
    EXPECT_FALSE(is_valid_utf8("\xc1\x81"));          // overlong
    EXPECT_FALSE(is_valid_utf8("\xe0\x80\xae"));      // overlong '.'
    EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xae"));  // overlong '.'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\x80"));
    EXPECT_FALSE(is_valid_utf8("\xc3"));
    EXPECT_FALSE(is_valid_utf8("\xff"));
}

}  // namespace
}  // namespace famigo::assets
