#include "assets/collect.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>

#include "assets/compress.hpp"
#include "assets/digest.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

namespace famigo::assets {
namespace {

using testing::slurp;
using testing::TempDir;
using testing::write;
namespace fs = std::filesystem;

const std::string kLogo =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n"
    "  <circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#f60\"/>\n"
    "  <circle cx=\"5\" cy=\"5\" r=\"3\" fill=\"#fff\"/>\n"
    "  <circle cx=\"5\" cy=\"5\" r=\"2\" fill=\"#f60\"/>\n"
    "</svg>\n";
const std::string kSiteCss =
    "@import url(base.css);\n"
    "body { font-family: sans-serif; color: #222; line-height: 1.5; }\n"
    ".logo { background: url(../img/logo.svg) no-repeat; }\n"
    ".hero { background: url('/static/img/hero.png?v=1'); }\n"
    ".ext { background: url(https://example.com/x.png); }\n"
    ".missing { background: url(../img/nothing.png); }\n";
const std::string kBaseCss =
    "html { background: url(\"../img/logo.svg#dark\"); margin: 0; }\n"
    "h1 { margin: 0 0 1rem; font-weight: 700; }\n"
    "h2 { margin: 0 0 1rem; font-weight: 700; }\n"
    "h3 { margin: 0 0 1rem; font-weight: 700; }\n";

class CollectTest : public ::testing::Test {
  protected:
    void SetUp() override {
        write(dir / "static/css/site.css", kSiteCss);
        write(dir / "static/css/base.css", kBaseCss);
        write(dir / "static/img/logo.svg", kLogo);
        write(dir / "static/img/hero.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        std::string robots = "User-agent: *\nDisallow: /account/\n";
        for (int i = 0; i < 5; ++i) robots += "Disallow: /private/" + std::to_string(i) + "/\n";
        write(dir / "static/robots.txt", robots);
        write(dir / "static/tiny.txt", "a");
        write(dir / "static/.DS_Store", "hidden");
        options.source = dir / "static";
        options.build_dir = dir / "build";
    }

    CollectReport run() {
        std::ostringstream progress;
        CollectReport report = collect(options, progress);
        output = progress.str();
        return report;
    }

    fs::path out(const std::string& name) const { return dir / "build" / name; }

    TempDir dir;
    AssetOptions options;
    std::string output;
};

TEST_F(CollectTest, FingerprintsEveryFileAndWritesTheManifest) {
    CollectReport report = run();
    EXPECT_EQ(report.files, 6u);
    ASSERT_EQ(report.manifest.size(), 6u);
    EXPECT_FALSE(report.manifest.count(".DS_Store"));
    for (const auto& [logical, hashed] : report.manifest) {
        std::string bytes = slurp(out(logical));
        EXPECT_EQ(slurp(out(hashed)), bytes) << logical;
        EXPECT_EQ(hashed, fingerprinted_name(logical, content_hash_hex(bytes))) << logical;
        EXPECT_NE(hashed, logical);
    }
    // Non-CSS files are copied byte for byte.
    EXPECT_EQ(slurp(out("img/logo.svg")), kLogo);
    EXPECT_EQ(report.manifest.at("img/logo.svg"),
              "img/logo." + content_hash_hex(kLogo).substr(0, 12) + ".svg");

    auto manifest = parse_manifest(slurp(out("manifest.json")), "test");
    EXPECT_EQ(manifest, report.manifest);
    EXPECT_NE(slurp(out("manifest.json")).find("\"version\": 1"), std::string::npos);
    EXPECT_FALSE(fs::exists(out(".DS_Store")));
    // One progress line per file, then the summary.
    EXPECT_NE(output.find("css/site.css -> css/site."), std::string::npos);
    EXPECT_NE(output.find("collectstatic: 6 files"), std::string::npos);
}

TEST_F(CollectTest, RewritesCssReferencesToFingerprintedNames) {
    CollectReport report = run();
    const auto& m = report.manifest;
    std::string base = slurp(out("css/base.css"));
    EXPECT_TRUE(base.starts_with("html { background: url(\"../" + m.at("img/logo.svg") +
                                 "#dark\"); margin: 0; }\n"))
        << base;
    std::string site = slurp(out("css/site.css"));
    std::string base_hashed = m.at("css/base.css").substr(4);  // relative to css/
    EXPECT_NE(site.find("@import url(" + base_hashed + ");"), std::string::npos) << site;
    EXPECT_NE(site.find("url(../" + m.at("img/logo.svg") + ")"), std::string::npos) << site;
    EXPECT_NE(site.find("url('/static/" + m.at("img/hero.png") + "?v=1')"), std::string::npos)
        << site;
    EXPECT_NE(site.find("url(https://example.com/x.png)"), std::string::npos);
    EXPECT_NE(site.find("url(../img/nothing.png)"), std::string::npos);
    EXPECT_EQ(report.references, 4u);
    // The stylesheet's fingerprint is of its rewritten bytes.
    EXPECT_EQ(m.at("css/site.css"), fingerprinted_name("css/site.css", content_hash_hex(site)));
}

TEST_F(CollectTest, ChangingAnImageChangesTheStylesheetsThatUseIt) {
    auto first = run().manifest;
    write(dir / "static/img/logo.svg", kLogo + "<!-- v2 -->\n");
    auto second = run().manifest;
    EXPECT_NE(first.at("img/logo.svg"), second.at("img/logo.svg"));
    EXPECT_NE(first.at("css/base.css"), second.at("css/base.css"));
    EXPECT_NE(first.at("css/site.css"), second.at("css/site.css"));
    EXPECT_EQ(first.at("robots.txt"), second.at("robots.txt"));
    // Old fingerprinted files stay for pages cached during a rolling deploy.
    EXPECT_TRUE(fs::exists(out(first.at("img/logo.svg"))));
}

TEST_F(CollectTest, IsIdempotent) {
    auto first = run();
    std::map<std::string, fs::file_time_type> times;
    for (const auto& entry : fs::recursive_directory_iterator(dir / "build"))
        times[entry.path().string()] = entry.last_write_time();
    auto second = run();
    EXPECT_EQ(second.written, 0u) << output;
    EXPECT_GT(second.unchanged, 0u);
    EXPECT_EQ(second.manifest, first.manifest);
    EXPECT_EQ(second.variants, first.variants);
    size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir / "build")) {
        ++count;
        EXPECT_EQ(times.at(entry.path().string()), entry.last_write_time()) << entry.path();
    }
    EXPECT_EQ(count, times.size());  // no temporary files left behind
}

TEST_F(CollectTest, CompressedVariantsDecodeToTheOriginal) {
    auto report = run();
    for (const char* name : {"css/site.css", "css/base.css", "img/logo.svg", "robots.txt"}) {
        for (const std::string& output_name : {std::string(name), report.manifest.at(name)}) {
            std::string original = slurp(out(output_name));
            ASSERT_TRUE(fs::exists(out(output_name + ".gz"))) << output_name;
            ASSERT_TRUE(fs::exists(out(output_name + ".br"))) << output_name;
            std::string gz = slurp(out(output_name + ".gz"));
            std::string br = slurp(out(output_name + ".br"));
            EXPECT_LT(gz.size(), original.size());
            EXPECT_LT(br.size(), original.size());
            EXPECT_EQ(gzip_decompress(gz), original) << output_name;
            EXPECT_EQ(brotli_decompress(br), original) << output_name;
        }
    }
    // Not compressible by type, or not smaller once compressed.
    EXPECT_FALSE(fs::exists(out("img/hero.png.gz")));
    EXPECT_FALSE(fs::exists(out("img/hero.png.br")));
    EXPECT_FALSE(fs::exists(out("tiny.txt.gz")));
    EXPECT_FALSE(fs::exists(out("tiny.txt.br")));
    EXPECT_EQ(report.variants, 16u);
}

TEST_F(CollectTest, VariantsAreNeverOlderThanTheirFile) {
    run();
    write(dir / "static/robots.txt", "User-agent: *\nDisallow:\n" + std::string(200, '#') + "\n");
    run();
    struct stat plain {
    }, gz{};
    ASSERT_EQ(::stat(out("robots.txt").c_str(), &plain), 0);
    ASSERT_EQ(::stat(out("robots.txt.gz").c_str(), &gz), 0);
    EXPECT_GE(gz.st_mtim.tv_sec * 1000000000L + gz.st_mtim.tv_nsec,
              plain.st_mtim.tv_sec * 1000000000L + plain.st_mtim.tv_nsec);
    EXPECT_EQ(gzip_decompress(slurp(out("robots.txt.gz"))), slurp(out("robots.txt")));
}

TEST_F(CollectTest, RefusesSymlinksOutOfTheSourceFolder) {
    write(dir / "secret.txt", "password");
    fs::create_symlink(dir / "secret.txt", dir / "static/leak.txt");
    EXPECT_THROW(run(), Error);
    EXPECT_FALSE(fs::exists(dir / "build"));  // nothing written
}

TEST_F(CollectTest, RefusesDirectorySymlinksOutOfTheSourceFolder) {
    write(dir / "outside/secret.txt", "password");
    fs::create_directory_symlink(dir / "outside", dir / "static/img/more");
    EXPECT_THROW(run(), Error);
}

TEST_F(CollectTest, FollowsSymlinksThatStayInside) {
    fs::create_symlink("logo.svg", dir / "static/img/alias.svg");
    auto report = run();
    EXPECT_EQ(slurp(out("img/alias.svg")), kLogo);
    EXPECT_EQ(report.manifest.at("img/alias.svg"),
              fingerprinted_name("img/alias.svg", content_hash_hex(kLogo)));
    EXPECT_FALSE(fs::is_symlink(out("img/alias.svg")));
}

TEST_F(CollectTest, MissingSourceOrOverlappingFoldersFail) {
    AssetOptions missing = options;
    missing.source = dir / "nope";
    std::ostringstream progress;
    EXPECT_THROW(collect(missing, progress), Error);
    AssetOptions same = options;
    same.build_dir = options.source;
    EXPECT_THROW(collect(same, progress), Error);
}

TEST_F(CollectTest, BuildFolderInsideTheSourcesIsSkipped) {
    options.build_dir = dir / "static/_build";
    auto first = run();
    auto second = run();
    EXPECT_EQ(second.files, first.files);
    EXPECT_FALSE(second.manifest.count("_build/manifest.json"));
}

TEST(RunCollectstatic, ExitCodes) {
    TempDir dir;
    write(dir / "static/a.txt", "hello");
    config::Schema schema;
    define_config(schema);
    auto load = [&](const std::string& source) {
        config::Sources sources;
        sources.overrides = {{"static.source", source, "test"},
                             {"static.build_dir", (dir / "out").string(), "test"}};
        return config::Config::load(schema, sources);
    };
    std::ostringstream out, err;
    EXPECT_EQ(run_collectstatic(load((dir / "static").string()), out, err), 0);
    EXPECT_TRUE(fs::exists(dir / "out/manifest.json"));
    EXPECT_EQ(err.str(), "");
    EXPECT_EQ(run_collectstatic(load((dir / "missing").string()), out, err), 1);
    EXPECT_NE(err.str().find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace famigo::assets
