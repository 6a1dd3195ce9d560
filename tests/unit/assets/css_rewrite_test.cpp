#include "assets/css_rewrite.hpp"

#include <gtest/gtest.h>

#include <map>

namespace famigo::assets {
namespace {

constexpr std::string_view kHash = "0123456789abcdef0123";

// Rewrites every reference to a known file the way collectstatic does.
std::string rewrite(std::string_view css, std::string_view css_name = "css/site.css") {
    static const std::map<std::string, bool, std::less<>> files{{"img/logo.svg", true},
                                                                {"css/base.css", true},
                                                                {"fonts/a b.woff2", true},
                                                                {"img/bg.png", true},
                                                                {"LICENSE", true}};
    return rewrite_css(css, [&](std::string_view reference) -> std::optional<std::string> {
        auto target = reference_target(css_name, reference, "/static/");
        if (!target || !files.count(*target)) return std::nullopt;
        return fingerprint_reference(reference, kHash);
    });
}

TEST(CssRewrite, UrlForms) {
    EXPECT_EQ(rewrite("a{background:url(../img/logo.svg)}"),
              "a{background:url(../img/logo.0123456789ab.svg)}");
    EXPECT_EQ(rewrite("a{background:url('../img/logo.svg')}"),
              "a{background:url('../img/logo.0123456789ab.svg')}");
    EXPECT_EQ(rewrite("a{background:url( \"../img/logo.svg\" )}"),
              "a{background:url( \"../img/logo.0123456789ab.svg\" )}");
    EXPECT_EQ(rewrite("a{background:URL(../img/logo.svg)}"),
              "a{background:URL(../img/logo.0123456789ab.svg)}");
}

TEST(CssRewrite, AbsoluteStaticPaths) {
    EXPECT_EQ(rewrite("a{b:url(/static/img/logo.svg)}"),
              "a{b:url(/static/img/logo.0123456789ab.svg)}");
    EXPECT_EQ(rewrite("a{b:url(/media/img/logo.svg)}"), "a{b:url(/media/img/logo.svg)}");
}

TEST(CssRewrite, SameFolderAndDotSegments) {
    EXPECT_EQ(rewrite("@import url(base.css);"), "@import url(base.0123456789ab.css);");
    EXPECT_EQ(rewrite("@import url(./base.css);"), "@import url(./base.0123456789ab.css);");
    EXPECT_EQ(rewrite("@import \"base.css\";"), "@import \"base.0123456789ab.css\";");
    EXPECT_EQ(rewrite("@import 'base.css' screen;"), "@import 'base.0123456789ab.css' screen;");
}

TEST(CssRewrite, KeepsQueryAndFragment) {
    EXPECT_EQ(rewrite("a{b:url(../img/logo.svg#icon)}"),
              "a{b:url(../img/logo.0123456789ab.svg#icon)}");
    EXPECT_EQ(rewrite("a{b:url(../img/logo.svg?v=2#x)}"),
              "a{b:url(../img/logo.0123456789ab.svg?v=2#x)}");
}

TEST(CssRewrite, LeavesForeignAndMissingAlone) {
    for (const char* css : {
             "a{b:url(data:image/png;base64,iVBORw0KGgo=)}",
             "a{b:url(\"data:image/svg+xml;utf8,<svg></svg>\")}",
             "a{b:url(http://example.com/img/logo.svg)}",
             "a{b:url(https://example.com/img/logo.svg)}",
             "a{b:url(//cdn.example.com/img/logo.svg)}",
             "a{b:url(#gradient)}",
             "a{b:url(../img/missing.svg)}",
             "a{b:url(../../../etc/passwd)}",
             "a{b:url()}",
             "a{b:url(../img/)}",
             "a{b:url(../img/lo\\go.svg)}",
             "/* url(../img/logo.svg) */",
             "a{content:\"url(../img/logo.svg)\"}",
             "a{b:myurl(../img/logo.svg)}",
             "a{b:url(../img/logo.svg}",
         })
        EXPECT_EQ(rewrite(css), css) << css;
}

TEST(CssRewrite, SeveralReferencesAndOtherText) {
    std::string css =
        "/* header */\n.a{background:url(../img/logo.svg) no-repeat, url(../img/bg.png)}\n"
        ".b{color:red}\n";
    EXPECT_EQ(rewrite(css),
              "/* header */\n.a{background:url(../img/logo.0123456789ab.svg) no-repeat, "
              "url(../img/bg.0123456789ab.png)}\n.b{color:red}\n");
}

TEST(CssRewrite, PercentEncodedAndExtensionless) {
    EXPECT_EQ(rewrite("a{b:url('../fonts/a%20b.woff2')}"),
              "a{b:url('../fonts/a%20b.0123456789ab.woff2')}");
    EXPECT_EQ(rewrite("a{b:url(../LICENSE)}"), "a{b:url(../LICENSE.0123456789ab)}");
}

TEST(CssReference, Targets) {
    EXPECT_EQ(reference_target("css/site.css", "../img/a.png", "/static/"), "img/a.png");
    EXPECT_EQ(reference_target("site.css", "img/a.png", "/static/"), "img/a.png");
    EXPECT_EQ(reference_target("css/site.css", "/static/img/a.png", "/static/"), "img/a.png");
    EXPECT_EQ(reference_target("css/site.css", "img/./a.png?x", "/static/"), "css/img/a.png");
    EXPECT_FALSE(reference_target("css/site.css", "../../a.png", "/static/"));
    EXPECT_FALSE(reference_target("css/site.css", "../.git/config", "/static/"));
    EXPECT_FALSE(reference_target("css/site.css", "mailto:x@example.com", "/static/"));
    EXPECT_FALSE(reference_target("css/site.css", "a//b.png", "/static/"));
}

}  // namespace
}  // namespace famigo::assets
