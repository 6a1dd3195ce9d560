#include "assets/mime.hpp"

#include <gtest/gtest.h>

namespace famigo::assets {
namespace {

TEST(Mime, KnownTypesAndCharset) {
    EXPECT_EQ(mime_for("css/site.css").type, "text/css; charset=utf-8");
    EXPECT_EQ(mime_for("js/app.min.js").type, "text/javascript; charset=utf-8");
    EXPECT_EQ(mime_for("img/logo.svg").type, "image/svg+xml");
    EXPECT_EQ(mime_for("robots.txt").type, "text/plain; charset=utf-8");
    EXPECT_EQ(mime_for("a/b/photo.JPG").type, "image/jpeg");
    EXPECT_EQ(mime_for("x.wasm").type, "application/wasm");
}

TEST(Mime, Compressible) {
    for (const char* name : {"a.css", "a.js", "a.json", "a.svg", "a.xml", "a.ico", "a.wasm",
                             "a.map", "a.txt", "a.html"})
        EXPECT_TRUE(mime_for(name).compressible) << name;
    for (const char* name : {"a.png", "a.jpg", "a.woff2", "a.gz", "a.br", "a.zip", "noext"})
        EXPECT_FALSE(mime_for(name).compressible) << name;
}

TEST(Mime, UnknownIsOctetStream) {
    EXPECT_EQ(mime_for("LICENSE").type, "application/octet-stream");
    EXPECT_EQ(mime_for("a.unknownext").type, "application/octet-stream");
    EXPECT_EQ(mime_for("dir.css/file").type, "application/octet-stream");
    EXPECT_EQ(mime_for("trailingdot.").type, "application/octet-stream");
}

}  // namespace
}  // namespace famigo::assets
